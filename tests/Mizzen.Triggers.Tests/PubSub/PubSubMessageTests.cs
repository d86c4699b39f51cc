using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Triggers.PubSub;

namespace Mizzen.Triggers.Tests.PubSub;

/// <summary>A pulled message as a trigger event: payload, attributes, event id, and the artifacts of each notification format.</summary>
public sealed class PubSubMessageTests
{
    private static TriggerEvent Event(string format, string data, string attributes = "{}", string id = "4711") =>
        PubSubMessage.FromReceived(JsonNode.Parse($$$"""
            {"ackId":"ack-1","message":{"data":"{{{Convert.ToBase64String(Encoding.UTF8.GetBytes(data))}}}","attributes":{{{attributes}}},
             "messageId":"{{{id}}}","publishTime":"2026-12-03T12:00:00.123Z"}}
            """)!.AsObject())
            .ToEvent(new GooglePubSubSubscription { Name = "images", Project = "acme", SubscriptionName = "gcr-sub", MessageFormat = format });

    [Fact]
    public void A_GCR_insert_with_a_tag_is_a_docker_image_named_without_the_tag()
    {
        var e = Event("GCR", """{"action":"INSERT","digest":"gcr.io/acme/shop@sha256:5f2a","tag":"gcr.io/acme/shop:1.4.2"}""");

        e.Type.ShouldBe("pubsub");
        e.EventId.ShouldBe("images:4711");
        e.Source.ShouldBe("images");
        e.Artifacts.ShouldHaveSingleItem().ToJsonString().ShouldBe(
            """{"type":"docker/image","name":"gcr.io/acme/shop","version":"1.4.2","reference":"gcr.io/acme/shop:1.4.2","metadata":{"digest":"sha256:5f2a"}}""");
        e.TriggerFields["messageId"]!.GetValue<string>().ShouldBe("4711");
        e.TriggerFields["publishTime"]!.GetValue<string>().ShouldBe("2026-12-03T12:00:00.123Z");
        e.Description.ShouldBe("pubsub message 4711 on 'images' (projects/acme/subscriptions/gcr-sub)");
    }

    [Fact]
    public void A_GCR_insert_of_an_untagged_image_is_versioned_by_its_digest_and_a_registry_port_is_not_a_tag()
    {
        Event("GCR", """{"action":"INSERT","digest":"localhost:5000/shop@sha256:9b1c"}""").Artifacts.ShouldHaveSingleItem().ToJsonString()
            .ShouldBe("""{"type":"docker/image","name":"localhost:5000/shop","version":"sha256:9b1c","reference":"localhost:5000/shop@sha256:9b1c"}""");
        MessageArtifacts.DockerImage("localhost:5000/shop")["version"]!.GetValue<string>().ShouldBe("latest");
    }

    [Fact]
    public void A_GCR_delete_carries_no_artifact() =>
        Event("GCR", """{"action":"DELETE","tag":"gcr.io/acme/shop:1.4.2"}""").Artifacts.ShouldBeEmpty();

    [Fact]
    public void A_GCS_notification_is_a_gcs_object_even_from_attributes_alone()
    {
        var e = Event("GCS", "", """{"eventType":"OBJECT_FINALIZE","bucketId":"acme-manifests","objectId":"prod/shop.yml","objectGeneration":"17"}""");

        e.Artifacts.ShouldHaveSingleItem().ToJsonString()
            .ShouldBe("""{"type":"gcs/object","name":"gs://acme-manifests/prod/shop.yml","version":"17","reference":"gs://acme-manifests/prod/shop.yml#17"}""");
        e.TriggerFields["attributes"]!["eventType"]!.GetValue<string>().ShouldBe("OBJECT_FINALIZE");
    }

    [Fact]
    public void A_GCB_build_gives_a_docker_image_per_built_image()
    {
        var e = Event("GCB", """
            {"id":"b-1","status":"SUCCESS","results":{"images":[{"name":"gcr.io/acme/shop:v7","digest":"sha256:77"},{"name":"gcr.io/acme/worker:v7","digest":"sha256:78"}]}}
            """, """{"buildId":"b-1","status":"SUCCESS"}""");

        e.Artifacts.Select(a => a["reference"]!.GetValue<string>()).ShouldBe(["gcr.io/acme/shop:v7", "gcr.io/acme/worker:v7"]);
        e.Payload["status"]!.GetValue<string>().ShouldBe("SUCCESS");
    }

    [Fact]
    public void A_custom_message_brings_its_own_artifacts_and_parameters()
    {
        var e = Event("CUSTOM", """{"parameters":{"env":"prod"},"artifacts":[{"type":"http/file","name":"notes","reference":"https://example.com/n.txt"}]}""");

        e.Artifacts.ShouldHaveSingleItem()["type"]!.GetValue<string>().ShouldBe("http/file");
        e.TriggerFields["parameters"]!["env"]!.GetValue<string>().ShouldBe("prod");
    }

    [Fact]
    public void Data_that_is_not_a_JSON_object_is_kept_as_text_with_an_empty_payload()
    {
        var e = Event("GCR", "build 42 finished");

        e.Payload.ShouldBeEmpty();
        e.Artifacts.ShouldBeEmpty();
        e.TriggerFields["data"]!.GetValue<string>().ShouldBe("build 42 finished");
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;
using Mizzen.Triggers.Tests.PubSub;

namespace Mizzen.Server.Tests.Triggers;

/// <summary>
/// The server as configured in <c>mizzen.json</c> (<c>Mizzen:Triggers:PubSub:Google:Subscriptions</c>) pulling the real Pub/Sub emulator in the
/// background: a published GCR notification starts the pipeline, which runs with the image, and the trigger route says so.
/// </summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class PubSubApiTests(PubSubEmulator emulator) : IAsyncLifetime
{
    private readonly string topic = "t" + Guid.NewGuid().ToString("N")[..12];
    private RunningServer server = null!;

    public async Task InitializeAsync()
    {
        var subscription = await emulator.CreateSubscriptionAsync(topic);
        server = await RunningServer.StartAsync(demo: false, [("local", "21200-21299")], data =>
        {
            var path = Path.Combine(data, "mizzen.json");
            var settings = JsonNode.Parse(File.ReadAllText(path))!;
            var google = new JsonObject
            {
                ["Subscriptions"] = new JsonArray(new JsonObject
                {
                    ["name"] = "gcr-images", ["project"] = PubSubEmulator.Project, ["subscriptionName"] = subscription, ["messageFormat"] = "GCR",
                    ["ackDeadlineSeconds"] = 10, ["endpoint"] = emulator.Endpoint.ToString(),
                }),
            };
            settings["Mizzen"]!["Triggers"] = new JsonObject { ["PubSub"] = new JsonObject { ["Google"] = google } };
            File.WriteAllText(path, settings.ToJsonString());
        });
        await server.CreateApplicationAsync("shop");
        var saved = await server.PostJsonAsync("/pipelines", """
            {"application":"shop","name":"on image",
             "expectedArtifacts":[{"id":"image","displayName":"shop image","matchArtifact":{"type":"docker/image","name":"gcr.io/mizzen-test/shop"}}],
             "triggers":[{"type":"pubsub","enabled":true,"pubsubSystem":"google","subscriptionName":"gcr-images","expectedArtifactIds":["image"]}],
             "stages":[{"refId":"1","type":"evaluateVariables","name":"vars","variables":[{"key":"v","value":"${trigger.artifacts[0].version}@${trigger.messageId}"}]}]}
            """);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_published_image_starts_the_pipeline_and_the_trigger_route_shows_the_message()
    {
        var messageId = await emulator.PublishAsync(topic, """{"action":"INSERT","digest":"gcr.io/mizzen-test/shop@sha256:1d","tag":"gcr.io/mizzen-test/shop:3.1"}""");

        var last = await LastEventAsync();
        last["result"]!.GetValue<string>().ShouldBe("started");
        last["eventId"]!.GetValue<string>().ShouldBe($"gcr-images:{messageId}");
        last["event"]!.GetValue<string>().ShouldBe($"pubsub message {messageId} on 'gcr-images' (projects/{PubSubEmulator.Project}/subscriptions/{topic}-sub)");
        var run = await server.WaitForAsync(last["executionId"]!.GetValue<string>(), e => e["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL");
        run["status"]!.GetValue<string>().ShouldBe("SUCCEEDED");
        run["stages"]![0]!["outputs"]!["v"]!.GetValue<string>().ShouldBe($"3.1@{messageId}");
    }

    [Fact]
    public async Task A_trigger_on_a_subscription_that_is_not_configured_is_refused_naming_the_field()
    {
        var answer = await server.PostJsonAsync("/pipelines", """
            {"application":"shop","name":"typo","triggers":[{"type":"pubsub","enabled":true,"pubsubSystem":"google","subscriptionName":"gcr-imagse"}],"stages":[]}
            """);

        answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = await answer.Content.ReadAsStringAsync();
        body.ShouldContain("triggers[0].subscriptionName");
        body.ShouldContain("no Google Pub/Sub subscription named 'gcr-imagse' is configured (configured: gcr-images)");
    }

    [Fact]
    public async Task The_configured_subscriptions_are_listed_as_gate_lists_them() =>
        (await server.GetJsonAsync("/pubsub/subscriptions")).ToJsonString().ShouldBe("""[{"pubsubSystem":"google","subscriptionName":"gcr-images"}]""");

    /// <summary>The trigger's last event, once the server's subscriber has pulled and dispatched the message (real time, bounded).</summary>
    private async Task<JsonNode> LastEventAsync()
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var trigger = (await server.GetJsonAsync("/pipelines/shop/on%20image/triggers")).AsArray().ShouldHaveSingleItem()!;
            if (trigger["lastEvent"] is JsonObject last)
            {
                return last;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"the server did not dispatch the message within 30 s: {trigger.ToJsonString()}");
            }

#pragma warning disable RS0030 // Poll interval while the server's subscriber pulls the real emulator (the loop waits on a condition).
            await Task.Delay(50);
#pragma warning restore RS0030
        }
    }
}

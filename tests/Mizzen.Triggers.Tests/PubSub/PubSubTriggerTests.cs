using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Testing;
using Mizzen.Testing.Stores;
using Mizzen.Triggers.PubSub;

namespace Mizzen.Triggers.Tests.PubSub;

/// <summary>
/// Messages published to the real Pub/Sub emulator, pulled by <see cref="GooglePubSubSubscriber"/> one pass at a time (the test drives the
/// passes), dispatched into the real engine and store. Subscriptions lease messages for 1 s, so a message left unacknowledged comes back
/// within a second of real time: the tests wait for that redelivery with a long pull, never with a sleep.
/// </summary>
[Collection(PubSubEmulatorCollection.Name)]
public abstract class PubSubTriggerTests(StoreBackend backend, PubSubEmulator emulator) : IAsyncLifetime
{
    private readonly string topic = "t" + Guid.NewGuid().ToString("N")[..12];
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));
    private TriggerServices triggers = null!;
    private GooglePubSubSubscriber subscriber = null!;
    private GooglePubSubSubscription images = null!;
    private GooglePubSubSubscription builds = null!;

    public async Task InitializeAsync()
    {
        images = Subscription("images", await emulator.CreateSubscriptionAsync(topic + "-gcr"), "GCR");
        builds = Subscription("builds", await emulator.CreateSubscriptionAsync(topic + "-custom"), "CUSTOM");
        triggers = await TriggerServices.CreateAsync(backend, TestTime.Clock(), "mizzen-pubsub", services =>
        {
            services.Configure<GooglePubSubOptions>(o => o.Subscriptions.AddRange([images, builds]));
            StoreOutage.AddTo(services);
        });
        subscriber = triggers.Get<GooglePubSubSubscriber>();
    }

    public async Task DisposeAsync()
    {
        timeout.Dispose();
        await triggers.DisposeAsync();
    }

    private GooglePubSubSubscription Subscription(string name, string id, string format) => new()
    {
        Name = name,
        Project = PubSubEmulator.Project,
        SubscriptionName = id,
        MessageFormat = format,
        AckDeadlineSeconds = 1,
        Endpoint = emulator.Endpoint.ToString(),
    };

    private Task SaveAsync(string json) => triggers.Get<IPipelineConfigStore>().SaveAsync(PipelineConfig.Parse(json), "tester", CancellationToken.None);

    /// <summary>One long pull: waits (in real time, bounded) until the emulator delivers something.</summary>
    private Task<PubSubPullResult> PassAsync(GooglePubSubSubscription subscription) => subscriber.PullOnceAsync(subscription, waitForMessages: true, timeout.Token);

    private async Task<IReadOnlyList<PipelineExecution>> RunsAsync() =>
        await triggers.Get<IExecutionStore>().ListAsync(new ExecutionQuery { Application = "shop", Limit = 100 }, CancellationToken.None);

    private const string ImagePipeline = """
        {"id":"deploy","application":"shop","name":"deploy",
         "expectedArtifacts":[{"id":"image","displayName":"shop image","matchArtifact":{"type":"docker/image","name":"gcr.io/mizzen-test/shop"}}],
         "triggers":[{"type":"pubsub","enabled":true,"pubsubSystem":"google","subscriptionName":"images","expectedArtifactIds":["image"]}],
         "stages":[{"refId":"1","type":"wait","name":"w","waitTime":1}]}
        """;

    private const string GcrInsert = """{"action":"INSERT","digest":"gcr.io/mizzen-test/shop@sha256:5f2a","tag":"gcr.io/mizzen-test/shop:1.4.2"}""";

    [Fact]
    public async Task A_GCR_message_starts_a_run_with_its_image_bound_to_the_expected_artifact_and_is_acknowledged()
    {
        await SaveAsync(ImagePipeline);
        var messageId = await emulator.PublishAsync(topic + "-gcr", GcrInsert);

        var pass = await PassAsync(images);

        pass.ShouldBe(new PubSubPullResult(1, 1, 0));
        var run = (await RunsAsync()).ShouldHaveSingleItem();
        var bound = run.Trigger["resolvedExpectedArtifacts"]![0]!["boundArtifact"]!;
        bound["type"]!.GetValue<string>().ShouldBe("docker/image");
        bound["name"]!.GetValue<string>().ShouldBe("gcr.io/mizzen-test/shop");
        bound["version"]!.GetValue<string>().ShouldBe("1.4.2");
        bound["reference"]!.GetValue<string>().ShouldBe("gcr.io/mizzen-test/shop:1.4.2");
        run.Trigger["messageId"]!.GetValue<string>().ShouldBe(messageId);
        run.Trigger["eventId"]!.GetValue<string>().ShouldBe($"images:{messageId}");
        run.Trigger["payload"]!["action"]!.GetValue<string>().ShouldBe("INSERT");
        run.Trigger["subscriptionName"]!.GetValue<string>().ShouldBe("images");
        (await emulator.UnacknowledgedAsync(topic + "-gcr", images.SubscriptionName)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Payload_and_attribute_constraints_decide_and_messages_nobody_wants_are_acknowledged_with_the_reason_recorded()
    {
        await SaveAsync("""
            {"id":"release","application":"shop","name":"release",
             "triggers":[{"type":"pubsub","enabled":true,"pubsubSystem":"google","subscriptionName":"Builds",
                          "payloadConstraints":{"status":"^SUCCESS$"},"attributeConstraints":{"eventType":"OBJECT_FINALIZE"}}],
             "stages":[]}
            """);
        var status = triggers.Get<TriggerStatusStore>();
        var finalize = new Dictionary<string, string> { ["eventType"] = "OBJECT_FINALIZE" };
        var delete = new Dictionary<string, string> { ["eventType"] = "OBJECT_DELETE" };

        var failed = await emulator.PublishAsync(topic + "-custom", """{"status":"FAILURE"}""", finalize);
        (await PassAsync(builds)).ShouldBe(new PubSubPullResult(1, 1, 0));
        var first = (await status.GetAsync("release", 0, CancellationToken.None)).ShouldNotBeNull();
        first.Result.ShouldBe("skipped");
        first.Reason.ShouldBe("payloadConstraints: 'status' is 'FAILURE', which does not match '^SUCCESS$'");
        first.EventId.ShouldBe($"builds:{failed}");

        await emulator.PublishAsync(topic + "-custom", """{"status":"SUCCESS"}""", delete);
        (await PassAsync(builds)).ShouldBe(new PubSubPullResult(1, 1, 0));
        (await status.GetAsync("release", 0, CancellationToken.None))!.Reason.ShouldBe("attributeConstraints: 'eventType' is 'OBJECT_DELETE', which does not match 'OBJECT_FINALIZE'");
        (await RunsAsync()).ShouldBeEmpty();

        await emulator.PublishAsync(topic + "-custom", """{"status":"SUCCESS","parameters":{"env":"prod"}}""", finalize);
        (await PassAsync(builds)).ShouldBe(new PubSubPullResult(1, 1, 0));
        var run = (await RunsAsync()).ShouldHaveSingleItem();
        run.Trigger["attributes"]!["eventType"]!.GetValue<string>().ShouldBe("OBJECT_FINALIZE");
        run.Trigger["parameters"]!["env"]!.GetValue<string>().ShouldBe("prod");
        (await status.GetAsync("release", 0, CancellationToken.None))!.Result.ShouldBe("started");

        (await emulator.UnacknowledgedAsync(topic + "-custom", builds.SubscriptionName)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_message_no_trigger_is_addressed_by_is_acknowledged()
    {
        await SaveAsync(ImagePipeline); // listens on 'images', not on 'builds'

        await emulator.PublishAsync(topic + "-custom", """{"status":"SUCCESS"}""");

        (await PassAsync(builds)).ShouldBe(new PubSubPullResult(1, 1, 0));
        (await RunsAsync()).ShouldBeEmpty();
        (await emulator.UnacknowledgedAsync(topic + "-custom", builds.SubscriptionName)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_message_whose_dispatch_failed_is_not_acknowledged_and_its_redelivery_starts_the_run()
    {
        await SaveAsync(ImagePipeline);
        var outage = triggers.Get<StoreOutage>();
        outage.FailNextStatusWrites = 1; // storing the run (with its trigger's status, one transaction) fails: DispatchAsync throws
        var messageId = await emulator.PublishAsync(topic + "-gcr", GcrInsert);

        (await PassAsync(images)).ShouldBe(new PubSubPullResult(1, 0, 1));
        (await RunsAsync()).ShouldBeEmpty(); // nothing half-written: neither the run nor a status naming it

        (await PassAsync(images)).ShouldBe(new PubSubPullResult(1, 1, 0)); // delivered again once its 1 s lease ran out

        var run = (await RunsAsync()).ShouldHaveSingleItem();
        var status = (await triggers.Get<TriggerStatusStore>().GetAsync("deploy", 0, CancellationToken.None)).ShouldNotBeNull();
        status.Result.ShouldBe("started");
        status.ExecutionId.ShouldBe(run.Id);
        status.EventId.ShouldBe($"images:{messageId}");
        (await emulator.UnacknowledgedAsync(topic + "-gcr", images.SubscriptionName)).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_same_message_delivered_twice_starts_one_run()
    {
        await SaveAsync(ImagePipeline);
        await emulator.PublishAsync(topic + "-gcr", GcrInsert);

        // A node takes the message and starts its run, then dies before acknowledging: its lease (1 s) runs out.
        var taken = (await emulator.PullAsync(images.SubscriptionName, returnImmediately: false)).ShouldHaveSingleItem();
        await emulator.LeaseAsync(images.SubscriptionName, [taken.AckId], 1);
        var first = (await triggers.Get<TriggerDispatcher>().DispatchAsync(taken.ToEvent(images), CancellationToken.None)).ShouldHaveSingleItem();
        first.Result.ShouldBe("started");

        (await PassAsync(images)).ShouldBe(new PubSubPullResult(1, 1, 0));

        (await RunsAsync()).ShouldHaveSingleItem().Id.ShouldBe(first.ExecutionId);
        (await triggers.Get<TriggerStatusStore>().GetAsync("deploy", 0, CancellationToken.None))!.Result.ShouldBe("duplicate");
    }

    [Fact]
    public async Task A_GCS_object_notification_binds_a_gcs_object_artifact()
    {
        var objects = Subscription("manifests", await emulator.CreateSubscriptionAsync(topic + "-gcs"), "GCS");
        await using var gcs = await TriggerServices.CreateAsync(backend, TestTime.Clock(), "mizzen-pubsub",
            services => services.Configure<GooglePubSubOptions>(o => o.Subscriptions.Add(objects)));
        await gcs.Get<IPipelineConfigStore>().SaveAsync(PipelineConfig.Parse("""
            {"id":"manifests","application":"shop","name":"manifests",
             "expectedArtifacts":[{"id":"manifest-artifact","matchArtifact":{"kind":"gcs","type":"gcs/object","name":"gs://shop-manifests/manifests/frontend.yml"}}],
             "triggers":[{"type":"pubsub","enabled":true,"pubsubSystem":"google","subscriptionName":"manifests",
                          "attributeConstraints":{"eventType":"OBJECT_FINALIZE"},"payloadConstraints":{},"expectedArtifactIds":["manifest-artifact"]}],
             "stages":[]}
            """), "tester", CancellationToken.None);
        await emulator.PublishAsync(topic + "-gcs",
            """{"kind":"storage#object","bucket":"shop-manifests","name":"manifests/frontend.yml","generation":"1764763200123456","contentType":"text/yaml"}""",
            new Dictionary<string, string>
            {
                ["eventType"] = "OBJECT_FINALIZE", ["payloadFormat"] = "JSON_API_V1", ["bucketId"] = "shop-manifests",
                ["objectId"] = "manifests/frontend.yml", ["objectGeneration"] = "1764763200123456",
            });

        (await gcs.Get<GooglePubSubSubscriber>().PullOnceAsync(objects, waitForMessages: true, timeout.Token)).ShouldBe(new PubSubPullResult(1, 1, 0));

        var run = (await gcs.Get<IExecutionStore>().ListAsync(new ExecutionQuery { Application = "shop", Limit = 10 }, CancellationToken.None)).ShouldHaveSingleItem();
        var bound = run.Trigger["resolvedExpectedArtifacts"]![0]!["boundArtifact"]!;
        bound["type"]!.GetValue<string>().ShouldBe("gcs/object");
        bound["name"]!.GetValue<string>().ShouldBe("gs://shop-manifests/manifests/frontend.yml");
        bound["reference"]!.GetValue<string>().ShouldBe("gs://shop-manifests/manifests/frontend.yml#1764763200123456");
        bound["version"]!.GetValue<string>().ShouldBe("1764763200123456");
    }
}

public sealed class PubSubTriggerTestsOnSqlite(PubSubEmulator emulator) : PubSubTriggerTests(StoreBackend.Sqlite, emulator);

public sealed class PubSubTriggerTestsOnPostgres(PubSubEmulator emulator) : PubSubTriggerTests(StoreBackend.Postgres, emulator);

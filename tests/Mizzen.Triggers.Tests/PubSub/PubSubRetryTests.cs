using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Testing;
using Mizzen.Testing.Stores;
using Mizzen.Triggers.PubSub;

namespace Mizzen.Triggers.Tests.PubSub;

/// <summary>
/// The subscriber's loop (<see cref="GooglePubSubSubscriber.RunAsync"/>) against an address nothing listens on and against the real
/// emulator before its subscription exists: each failure is logged with the reason and retried after a doubling delay on the test clock,
/// and the loop recovers on its own once the subscription is there. The store does not matter here: SQLite only.
/// </summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class PubSubRetryTests(PubSubEmulator emulator) : IAsyncLifetime
{
    private readonly RecordingTimeProvider clock = new();
    private readonly RecordedLogs logs = new();
    private readonly CancellationTokenSource stop = new(TimeSpan.FromSeconds(60));
    private TriggerServices triggers = null!;

    public async Task InitializeAsync() =>
        triggers = await TriggerServices.CreateAsync(StoreBackend.Sqlite, clock, "mizzen-pubsub-retry", logs.AddTo);

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        stop.Dispose();
        await triggers.DisposeAsync();
    }

    /// <summary>Waits until the loop starts its retry wait of <paramref name="delay"/> (a pull's own wait, 30 s, is another timer).</summary>
    private async Task RetryWaitAsync(TimeSpan delay)
    {
        while (await clock.NextTimerAsync() != delay)
        {
        }
    }

    private IReadOnlyList<RecordedLog> Failures => [.. logs.Entries.Where(e => e.Message.Contains("pull failed", StringComparison.Ordinal))];

    [Fact]
    public async Task An_unreachable_Pub_Sub_is_logged_with_the_reason_and_retried_with_a_doubling_delay()
    {
        var subscription = new GooglePubSubSubscription
        {
            Name = "images", Project = PubSubEmulator.Project, SubscriptionName = "gone", Endpoint = $"http://127.0.0.1:{PubSubEmulator.FreePort()}",
        };

        var loop = triggers.Get<GooglePubSubSubscriber>().RunAsync(subscription, stop.Token);

        await RetryWaitAsync(TimeSpan.FromSeconds(1));
        var first = Failures.ShouldHaveSingleItem();
        first.Level.ShouldBe(LogLevel.Warning);
        first.Message.ShouldContain("retrying in 00:00:01");
        first.Message.ShouldContain($"pull on projects/{PubSubEmulator.Project}/subscriptions/gone at http://127.0.0.1:");
        first.Message.ShouldContain("Connection refused");
        first.Message.ShouldContain("(1 in a row)");

        clock.Advance(TimeSpan.FromSeconds(1));
        await RetryWaitAsync(TimeSpan.FromSeconds(2));
        Failures[^1].Message.ShouldContain("(2 in a row), retrying in 00:00:02");
        clock.Advance(TimeSpan.FromSeconds(2));
        await RetryWaitAsync(TimeSpan.FromSeconds(4));
        Failures[^1].Message.ShouldContain("(3 in a row), retrying in 00:00:04");
        Failures.Count.ShouldBe(3); // one per retry: nothing in between

        await stop.CancelAsync();
        await loop; // ends quietly when the host stops
        loop.IsCompletedSuccessfully.ShouldBeTrue();
    }

    [Fact]
    public async Task A_missing_subscription_is_logged_and_the_loop_recovers_once_it_exists()
    {
        var topic = "t" + Guid.NewGuid().ToString("N")[..12];
        var subscription = new GooglePubSubSubscription
        {
            Name = "images", Project = PubSubEmulator.Project, SubscriptionName = topic + "-sub", MessageFormat = "GCR", AckDeadlineSeconds = 1,
            Endpoint = emulator.Endpoint.ToString(),
        };
        await triggers.Get<IPipelineConfigStore>().SaveAsync(PipelineConfig.Parse("""
            {"id":"deploy","application":"shop","name":"deploy",
             "triggers":[{"type":"pubsub","enabled":true,"pubsubSystem":"google","subscriptionName":"images"}],"stages":[]}
            """), "tester", CancellationToken.None);

        var loop = triggers.Get<GooglePubSubSubscriber>().RunAsync(subscription, stop.Token);

        await RetryWaitAsync(TimeSpan.FromSeconds(1));
        Failures.ShouldHaveSingleItem().Message.ShouldContain("404 NOT_FOUND: Subscription does not exist");
        await emulator.CreateSubscriptionAsync(topic, subscription.SubscriptionName);
        await emulator.PublishAsync(topic, """{"action":"INSERT","tag":"gcr.io/mizzen-test/shop:2.0"}""");
        clock.Advance(TimeSpan.FromSeconds(1));

        await logs.WaitForAsync(e => e.Message.Contains("pulling again after 1 failed attempt(s)", StringComparison.Ordinal), "the loop to recover");
        await logs.WaitForAsync(e => e.Message.Contains(" started shop/deploy", StringComparison.Ordinal), "the run to start");
        var run = (await triggers.Get<IExecutionStore>().ListAsync(new ExecutionQuery { Application = "shop", Limit = 10 }, CancellationToken.None)).ShouldHaveSingleItem();
        run.Trigger["artifacts"]![0]!["version"]!.GetValue<string>().ShouldBe("2.0");
        Failures.Count.ShouldBe(1);

        await stop.CancelAsync();
        await loop;
    }
}

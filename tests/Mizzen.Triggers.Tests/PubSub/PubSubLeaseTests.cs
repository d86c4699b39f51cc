using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Persistence.Pipelines;
using Mizzen.Testing;
using Mizzen.Testing.Stores;
using Mizzen.Triggers.PubSub;

namespace Mizzen.Triggers.Tests.PubSub;

/// <summary>
/// A dispatch slower than the ack deadline: the subscriber renews the lease of the message it is dispatching (at half the deadline, on
/// its clock), so Pub/Sub does not hand it out again meanwhile, and acknowledges it once the dispatch returns. SQLite only.
/// </summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class PubSubLeaseTests(PubSubEmulator emulator) : IAsyncLifetime
{
    private readonly string topic = "t" + Guid.NewGuid().ToString("N")[..12];
    private readonly RecordingTimeProvider clock = new();
    private TriggerServices triggers = null!;

    public async Task InitializeAsync()
    {
        triggers = await TriggerServices.CreateAsync(StoreBackend.Sqlite, clock, "mizzen-pubsub-lease", StoreOutage.AddTo);
        await triggers.Get<IPipelineConfigStore>().SaveAsync(PipelineConfig.Parse("""
            {"id":"deploy","application":"shop","name":"deploy",
             "triggers":[{"type":"pubsub","enabled":true,"pubsubSystem":"google","subscriptionName":"images"}],"stages":[]}
            """), "tester", CancellationToken.None);
    }

    public async Task DisposeAsync() => await triggers.DisposeAsync();

    [Fact]
    public async Task A_slow_dispatch_keeps_its_message_leased_until_it_is_acknowledged()
    {
        var subscription = new GooglePubSubSubscription
        {
            Name = "images", Project = PubSubEmulator.Project, SubscriptionName = await emulator.CreateSubscriptionAsync(topic), MessageFormat = "GCR",
            AckDeadlineSeconds = 1, Endpoint = emulator.Endpoint.ToString(),
        };
        var outage = triggers.Get<StoreOutage>();
        outage.Stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var messageId = await emulator.PublishAsync(topic, """{"action":"INSERT","tag":"gcr.io/mizzen-test/shop:6.0"}""");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var pass = triggers.Get<GooglePubSubSubscriber>().PullOnceAsync(subscription, waitForMessages: true, timeout.Token);
        await outage.Stalled.Task.WaitAsync(timeout.Token); // storing the run with its trigger's status hangs
        using var renewing = new CancellationTokenSource();
        var clockPump = PumpRenewalsAsync(renewing.Token);

        // Evidence, not a sleep: a sentinel leased for 1 s comes back twice (over 2 s); the stalled message, leased for 1 s at a time, never does.
        var redelivered = await emulator.UnacknowledgedAsync(topic, subscription.SubscriptionName);
        redelivered.ShouldNotContain(messageId);

        outage.Stall.SetResult();
        (await pass).ShouldBe(new PubSubPullResult(1, 1, 0));
        await renewing.CancelAsync();
        await clockPump;
        (await emulator.UnacknowledgedAsync(topic, subscription.SubscriptionName)).ShouldBeEmpty();
    }

    /// <summary>Moves the subscriber's clock to each renewal as soon as it is scheduled (renewing far more often than every 0.5 s real time).</summary>
    private async Task PumpRenewalsAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (await clock.NextTimerAsync().WaitAsync(cancellationToken) == TimeSpan.FromSeconds(0.5))
                {
                    clock.Advance(TimeSpan.FromSeconds(0.5));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Done: the pass returned.
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mizzen.Triggers.PubSub;

/// <summary>
/// Pulls each configured Google Pub/Sub subscription and dispatches every message as a <c>pubsub</c> event. A message is acknowledged only
/// after <see cref="TriggerDispatcher.DispatchAsync"/> returned — the runs it started are stored by then — whether or not a trigger wanted
/// it; one whose dispatch threw is left unacknowledged, so Pub/Sub hands it out again after the ack deadline, and its message id (the event
/// id) keeps the redelivery to the runs already started. Pulled messages are leased for the subscription's <c>ackDeadlineSeconds</c>, renewed
/// at half of it while their batch is being dispatched.
/// <para>
/// Every node pulls (no leader lock): Pub/Sub itself hands each message to one puller at a time, so more nodes share the load, and
/// the rare second delivery finds the run the first one started. A failed pull (unreachable, 403, no such subscription) is logged
/// with the reason and retried with a doubling delay; it never stops the host.
/// </para>
/// </summary>
public sealed partial class GooglePubSubSubscriber(
    GooglePubSubClient client,
    TriggerDispatcher dispatcher,
    IOptions<GooglePubSubOptions> options,
    TimeProvider time,
    ILogger<GooglePubSubSubscriber> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscriptions = options.Value.Subscriptions;
        foreach (var subscription in subscriptions)
        {
            LogPulling(logger, subscription.Name, subscription.Path, GooglePubSubClient.EndpointOf(subscription).GetLeftPart(UriPartial.Authority));
        }

        return Task.WhenAll(subscriptions.Select(s => RunAsync(s, stoppingToken)));
    }

    /// <summary>Pulls <paramref name="subscription"/> until <paramref name="cancellationToken"/> is cancelled; failures are logged and retried.</summary>
    public async Task RunAsync(GooglePubSubSubscription subscription, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var delay = settings.RetryDelay;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await PullOnceAsync(subscription, waitForMessages: true, cancellationToken);
                if (failures > 0)
                {
                    LogRecovered(logger, subscription.Name, failures);
                }

                (failures, delay) = (0, settings.RetryDelay);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                LogPullFailed(logger, subscription.Name, e is Core.Errors.MizzenException or HttpRequestException ? e.Message : e.ToString(), failures, delay);
                try
                {
                    await Task.Delay(delay, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.RetryMaxDelay.Ticks));
            }
        }
    }

    /// <summary>
    /// One pull of up to <see cref="GooglePubSubOptions.MaxMessages"/> messages, each dispatched, then the dispatched ones acknowledged.
    /// With <paramref name="waitForMessages"/> it is a long pull of at most <see cref="GooglePubSubOptions.PullWait"/>; without, Pub/Sub answers
    /// at once. Throws <see cref="PubSubRequestException"/> when the pull, the lease or the acknowledgement fails.
    /// </summary>
    public async Task<PubSubPullResult> PullOnceAsync(GooglePubSubSubscription subscription, bool waitForMessages, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        IReadOnlyList<PubSubMessage> messages;
        using (var wait = new CancellationTokenSource(settings.PullWait, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wait.Token))
        {
            try
            {
                messages = await client.PullAsync(subscription, settings.MaxMessages, !waitForMessages, linked.Token);
            }
            catch (OperationCanceledException) when (wait.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return new PubSubPullResult(0, 0, 0); // nothing arrived within the wait: the caller pulls again
            }
        }

        if (messages.Count == 0)
        {
            return new PubSubPullResult(0, 0, 0);
        }

        var pending = new ConcurrentDictionary<string, bool>(messages.Select(m => KeyValuePair.Create(m.AckId, true)), StringComparer.Ordinal);
        await client.ModifyAckDeadlineAsync(subscription, [.. pending.Keys], subscription.AckDeadlineSeconds, cancellationToken);
        using var dispatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewing = RenewLeasesAsync(subscription, pending, dispatching.Token);
        var dispatched = new List<string>();
        try
        {
            foreach (var message in messages)
            {
                if (await DispatchAsync(subscription, message, cancellationToken))
                {
                    dispatched.Add(message.AckId);
                }
                else
                {
                    pending.TryRemove(message.AckId, out _); // no more renewals: it comes back within the ack deadline
                }
            }
        }
        finally
        {
            await dispatching.CancelAsync();
            await renewing;
        }

        await client.AcknowledgeAsync(subscription, dispatched, cancellationToken);
        return new PubSubPullResult(messages.Count, dispatched.Count, messages.Count - dispatched.Count);
    }

    private async Task<bool> DispatchAsync(GooglePubSubSubscription subscription, PubSubMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var outcomes = await dispatcher.DispatchAsync(message.ToEvent(subscription), cancellationToken);
            LogDispatched(logger, subscription.Name, message.MessageId, outcomes.Count(o => o.Result is "started" or "duplicate"), outcomes.Count);
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogDispatchFailed(logger, subscription.Name, message.MessageId, subscription.AckDeadlineSeconds, e);
            return false;
        }
    }

    /// <summary>Keeps the batch leased while it is dispatched; a failed renewal is logged (the message may then be delivered twice, which is harmless).</summary>
    private async Task RenewLeasesAsync(GooglePubSubSubscription subscription, ConcurrentDictionary<string, bool> pending, CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromSeconds(subscription.AckDeadlineSeconds / 2.0);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, time, cancellationToken);
                await client.ModifyAckDeadlineAsync(subscription, [.. pending.Keys], subscription.AckDeadlineSeconds, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRenewFailed(logger, subscription.Name, e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Pub/Sub subscription '{Name}' ({Path}): pulling from {Endpoint}")]
    private static partial void LogPulling(ILogger logger, string name, string path, string endpoint);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Pub/Sub subscription '{Name}': pull failed ({Failures} in a row), retrying in {Delay}: {Reason}")]
    private static partial void LogPullFailed(ILogger logger, string name, string reason, int failures, TimeSpan delay);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Pub/Sub subscription '{Name}': pulling again after {Failures} failed attempt(s)")]
    private static partial void LogRecovered(ILogger logger, string name, int failures);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Pub/Sub subscription '{Name}': message {MessageId} started or found {Started} run(s) of {Addressed} addressed trigger(s); acknowledging")]
    private static partial void LogDispatched(ILogger logger, string name, string messageId, int started, int addressed);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Pub/Sub subscription '{Name}': message {MessageId} could not be dispatched; not acknowledged, so it is delivered again within {AckDeadlineSeconds} s")]
    private static partial void LogDispatchFailed(ILogger logger, string name, string messageId, int ackDeadlineSeconds, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Pub/Sub subscription '{Name}': renewing the lease of messages being dispatched failed: {Reason}")]
    private static partial void LogRenewFailed(ILogger logger, string name, string reason);
}

/// <summary>What one pull did: messages received, acknowledged (dispatched), and left for redelivery (dispatch failed).</summary>
public sealed record PubSubPullResult(int Received, int Acknowledged, int Failed);

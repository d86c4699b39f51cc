using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Persistence;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Queue;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Claims due messages and hands them to the <see cref="MessageProcessor"/>, up to <see cref="EngineOptions.Concurrency"/>
/// at once. Sleeps until the next message is due, or until a commit on any node pushes one due now. While messages are in
/// flight it renews their leases every third of <see cref="EngineOptions.Lease"/> (one store call for all of them), so a long
/// handler keeps its message and a short lease still lets another node take over a dead node's messages quickly.
/// </summary>
public sealed partial class QueueWorker(
    IMessageQueue queue,
    INodeCoordination coordination,
    MessageProcessor processor,
    IOptions<EngineOptions> options,
    TimeProvider time,
    ILogger<QueueWorker> logger) : BackgroundService
{
    private readonly SemaphoreSlim wake = new(0, int.MaxValue);
    private readonly ConcurrentDictionary<long, QueueMessage> held = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The engine's writes wait behind callers who wait for an answer (a webhook's run, an API save) where there is one writer.
        using var backgroundWrites = StoreWritePriority.Background();
        var settings = options.Value;
        if (settings.ReleaseLeasesOnStart)
        {
            await queue.ReleaseNodeLeasesAsync(stoppingToken);
        }

        using var wakeUps = coordination.OnMessagesAvailable(Wake);
        using var slots = new SemaphoreSlim(settings.Concurrency, settings.Concurrency);
        var inFlight = new HashSet<Task>();

        // Heartbeats outlive stoppingToken: handlers still draining at shutdown keep their leases until they finish.
        using var heartbeatsDone = new CancellationTokenSource();
        var heartbeats = HeartbeatAsync(settings.Lease, heartbeatsDone.Token);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var free = slots.CurrentCount;
                IReadOnlyList<QueueMessage> batch = [];
                if (free > 0)
                {
                    try
                    {
                        batch = await queue.ClaimAsync(free, settings.Lease, stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        LogClaimFailed(e);
                    }
                }

                foreach (var message in batch)
                {
                    await slots.WaitAsync(stoppingToken);
                    var work = RunAsync(message, slots, stoppingToken);
                    lock (inFlight)
                    {
                        inFlight.Add(work);
                    }

                    _ = work.ContinueWith(t =>
                    {
                        lock (inFlight)
                        {
                            inFlight.Remove(t);
                        }
                    }, TaskScheduler.Default);
                }

                if (batch.Count == 0 || slots.CurrentCount == 0)
                {
                    try
                    {
                        await wake.WaitAsync(settings.PollInterval, stoppingToken);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            Task[] remaining;
            lock (inFlight)
            {
                remaining = [.. inFlight];
            }

            await Task.WhenAll(remaining).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await heartbeatsDone.CancelAsync();
            await heartbeats;
        }
    }

    private async Task HeartbeatAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(lease / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (held.IsEmpty)
                {
                    continue;
                }

                try
                {
                    // A message acknowledged since the snapshot reports as lost too; its handler is done with it anyway.
                    foreach (var lost in await queue.ExtendLeasesAsync([.. held.Values], lease, cancellationToken))
                    {
                        LogLeaseLost(lost.Id, lost.Kind);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogHeartbeatFailed(e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(QueueMessage message, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        held[message.Id] = message;
        try
        {
            await Task.Yield();
            await processor.ProcessAsync(message, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogProcessFailed(e, message.Kind);
        }
        finally
        {
            held.TryRemove(message.Id, out _);
            slots.Release();
            Wake();
        }
    }

    private void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            wake.Release();
        }
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "Claiming messages failed; retrying")]
    private partial void LogClaimFailed(Exception exception);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Processing a {Kind} message failed")]
    private partial void LogProcessFailed(Exception exception, string kind);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Renewing the leases of in-flight messages failed; retrying at the next heartbeat")]
    private partial void LogHeartbeatFailed(Exception exception);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Debug, Message = "Message {MessageId} ({Kind}) is no longer leased to this node (acknowledged, or its lease ran out)")]
    private partial void LogLeaseLost(long messageId, string kind);
}

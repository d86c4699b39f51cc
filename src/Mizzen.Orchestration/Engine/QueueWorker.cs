using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Queue;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Claims due messages and hands them to the <see cref="MessageProcessor"/>, up to <see cref="EngineOptions.Concurrency"/>
/// at once. Sleeps until the next message is due, or until a commit pushes one due now.
/// </summary>
public sealed partial class QueueWorker(
    IMessageQueue queue,
    INodeCoordination coordination,
    MessageProcessor processor,
    IOptions<EngineOptions> options,
    ILogger<QueueWorker> logger) : BackgroundService
{
    private readonly SemaphoreSlim wake = new(0, int.MaxValue);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.ReleaseLeasesOnStart)
        {
            await queue.ReleaseNodeLeasesAsync(stoppingToken);
        }

        using var wakeUps = coordination.OnMessagesAvailable(Wake);
        using var slots = new SemaphoreSlim(settings.Concurrency, settings.Concurrency);
        var inFlight = new HashSet<Task>();
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
        }
    }

    private async Task RunAsync(QueueMessage message, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
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
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Executions;

namespace Mizzen.Persistence.Retention;

/// <summary>
/// Deletes finished runs older than <see cref="RetentionOptions.Days"/>, always keeping the newest
/// <see cref="RetentionOptions.MinimumPerPipeline"/> of each pipeline (Orca's old-pipeline-cleanup poller). With several nodes
/// on one store it runs on the leader only (<see cref="INodeCoordination.RunAsLeaderAsync"/>).
/// </summary>
public sealed partial class ExecutionRetention(
    IExecutionStore executions,
    INodeCoordination coordination,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<ExecutionRetention> logger)
    : BackgroundService
{
    /// <summary>Runs deleted per write transaction, so a large backlog never holds the store's write lock for long.</summary>
    public const int BatchSize = 200;

    private static readonly TimeSpan LeaderRetryCeiling = TimeSpan.FromSeconds(30);

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value;
        var cutoff = time.GetUtcNow().AddDays(-retention.Days).ToUnixTimeMilliseconds();
        var total = 0;
        int deleted;
        do
        {
            deleted = await executions.DeleteFinishedAsync(cutoff, retention.MinimumPerPipeline, BatchSize, cancellationToken);
            total += deleted;
        }
        while (deleted == BatchSize);

        if (total > 0)
        {
            LogDeleted(total, retention.Days);
        }

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        // Followers retry as often as the sweep runs (at most every 30 s), so a short interval also means a quick hand-over.
        var retry = options.Value.Interval < LeaderRetryCeiling ? options.Value.Interval : LeaderRetryCeiling;
        await coordination.RunAsLeaderAsync("retention", async leading =>
        {
            using var timer = new PeriodicTimer(options.Value.Interval, time);
            do
            {
                try
                {
                    await RunOnceAsync(leading);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(e);
                }
            }
            while (await timer.WaitForNextTickAsync(leading));
        }, retry, stoppingToken);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Retention deleted {Count} finished runs older than {Days} days")]
    private partial void LogDeleted(int count, int days);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Retention pass failed; it will run again at the next interval")]
    private partial void LogFailed(Exception exception);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Persistence.Sqlite;

namespace Mizzen.Persistence.Retention;

/// <summary>
/// Deletes finished runs older than <see cref="RetentionOptions.Days"/>, always keeping the newest
/// <see cref="RetentionOptions.MinimumPerPipeline"/> of each pipeline (Orca's old-pipeline-cleanup poller).
/// </summary>
public sealed partial class ExecutionRetention(SqliteDatabase database, IOptions<RetentionOptions> options, TimeProvider time, ILogger<ExecutionRetention> logger)
    : BackgroundService
{
    /// <summary>Runs deleted per write transaction, so a large backlog never holds the store's write lock for long.</summary>
    public const int BatchSize = 200;

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value;
        var cutoff = time.GetUtcNow().AddDays(-retention.Days).ToUnixTimeMilliseconds();
        var total = 0;
        int deleted;
        do
        {
            deleted = await DeleteBatchAsync(retention.MinimumPerPipeline, cutoff, cancellationToken);
            total += deleted;
        }
        while (deleted == BatchSize);

        if (total > 0)
        {
            LogDeleted(total, retention.Days);
        }

        return total;
    }

    private async Task<int> DeleteBatchAsync(int keep, long cutoff, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        using var command = scope.Command("""
            CREATE TEMP TABLE IF NOT EXISTS retention_doomed (id TEXT PRIMARY KEY);
            DELETE FROM retention_doomed;
            INSERT INTO retention_doomed (id)
              SELECT id FROM (
                SELECT id, end_time, ROW_NUMBER() OVER (PARTITION BY COALESCE(config_id, application || '/' || type) ORDER BY build_time DESC) AS rn
                FROM executions WHERE end_time IS NOT NULL)
              WHERE rn > $keep AND end_time < $cutoff
              LIMIT $batch;
            DELETE FROM stages WHERE execution_id IN (SELECT id FROM retention_doomed);
            DELETE FROM executions WHERE id IN (SELECT id FROM retention_doomed);
            SELECT COUNT(*) FROM retention_doomed;
            """);
        command.Parameters.AddWithValue("$keep", keep);
        command.Parameters.AddWithValue("$cutoff", cutoff);
        command.Parameters.AddWithValue("$batch", BatchSize);
        var deleted = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        scope.Commit();
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Retention deleted {Count} finished runs older than {Days} days")]
    private partial void LogDeleted(int count, int days);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Retention pass failed; it will run again at the next interval")]
    private partial void LogFailed(Exception exception);
}

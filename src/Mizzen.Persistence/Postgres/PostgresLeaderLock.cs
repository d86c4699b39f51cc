using Microsoft.Extensions.Logging;
using Npgsql;

namespace Mizzen.Persistence.Postgres;

/// <summary>
/// <see cref="Coordination.INodeCoordination.RunAsLeaderAsync"/> for PostgreSQL: leadership is a session advisory lock on a
/// connection held only for it, so it ends exactly when that session ends. While the work runs, the connection is proven alive
/// every <see cref="Coordination.NodeOptions.ConnectionCheckInterval"/>; when it has died, the server has already released the
/// lock (another node may be leading now), so the work's token is cancelled and this node goes back to waiting for the lock.
/// </summary>
internal sealed partial class PostgresLeaderLock(PostgresCoordination coordination, TimeProvider time, ILogger logger)
{
    public async Task RunAsync(string name, Func<CancellationToken, Task> work, TimeSpan retryInterval, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var connection = await TryAcquireAsync(name, stoppingToken);
            if (connection is null)
            {
                try
                {
                    await Task.Delay(retryInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            await using (connection)
            {
                LogLeading(name, coordination.NodeId);
                using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                using var watching = new CancellationTokenSource();
                var watch = WatchAsync(connection, leading, watching.Token);
                bool lost;
                try
                {
                    await work(leading.Token);
                }
                catch (OperationCanceledException) when (leading.IsCancellationRequested)
                {
                }
                finally
                {
                    await watching.CancelAsync();
                    lost = await watch;
                }

                if (!lost)
                {
                    await ReleaseAsync(connection, name);
                }

                if (!lost || stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                LogLost(name, coordination.NodeId);
            }
        }
    }

    /// <summary>A connection holding the lock, or null when another node holds it or the database is unreachable.</summary>
    private async Task<NpgsqlConnection?> TryAcquireAsync(string name, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(coordination.Connection($"leader {name}").ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (await PostgresAdvisoryKeys.TryLockAsync(connection, PostgresAdvisoryKeys.Leader, name, cancellationToken))
            {
                return connection;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogAcquireFailed(e, name);
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <summary>Pings until <paramref name="stop"/>; true (and <paramref name="leading"/> cancelled) when the connection died.</summary>
    private async Task<bool> WatchAsync(NpgsqlConnection connection, CancellationTokenSource leading, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(coordination.CheckInterval, time, stop);
                await using var ping = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = coordination.PingTimeout };
                await ping.ExecuteScalarAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e)
        {
            LogConnectionDied(e);
            await leading.CancelAsync();
            return true;
        }
    }

    private async Task ReleaseAsync(NpgsqlConnection connection, string name)
    {
        try
        {
            await PostgresAdvisoryKeys.UnlockAsync(connection, PostgresAdvisoryKeys.Leader, name, CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or OperationCanceledException)
        {
            // Closing the connection (next) releases the lock anyway.
        }
    }

    [LoggerMessage(EventId = 2121, Level = LogLevel.Information, Message = "Node {NodeId} leads {Name}")]
    private partial void LogLeading(string name, string nodeId);

    [LoggerMessage(EventId = 2122, Level = LogLevel.Warning, Message = "Node {NodeId} lost the lead of {Name} (its lock connection died); its work was stopped and it waits for the lock again")]
    private partial void LogLost(string name, string nodeId);

    [LoggerMessage(EventId = 2123, Level = LogLevel.Warning, Message = "The connection holding a leader lock failed")]
    private partial void LogConnectionDied(Exception exception);

    [LoggerMessage(EventId = 2124, Level = LogLevel.Warning, Message = "Could not try the leader lock {Name}; trying again later")]
    private partial void LogAcquireFailed(Exception exception, string name);
}

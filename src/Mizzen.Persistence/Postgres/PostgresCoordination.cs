using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Persistence.Coordination;
using Npgsql;

namespace Mizzen.Persistence.Postgres;

/// <summary>
/// The nodes sharing one PostgreSQL database tell each other things through LISTEN/NOTIFY, and leadership is a session
/// advisory lock held on a connection of its own (<see cref="PostgresLeaderLock"/>).
/// Publishing runs this node's callbacks at once and hands the signal to a background sender
/// (<see cref="PostgresSignalSender"/>) that batches many into one round trip; each notification names its sender, so a node
/// skips its own (it delivered them already). One held connection listens; it also holds this node's identity lock, an
/// advisory lock on the hash of <see cref="NodeOptions.Id"/>, so a second live node with the same id refuses to start.
/// When the listener's connection drops it reconnects with backoff and then tells the local subscribers that signals may have
/// been missed (a wake-up, and <see cref="INodeCoordination.OnExecutionChanged"/> with empty ids), since signals are hints and
/// the store is the record.
/// </summary>
public sealed partial class PostgresCoordination : INodeCoordination, IHostedService, IAsyncDisposable
{
    internal const string WakeChannel = "mizzen_wake";
    internal const string CancelChannel = "mizzen_cancel";
    internal const string ChangesChannel = "mizzen_changes";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(10);

    private readonly InProcessCoordination.Callbacks<Action> wakeUps = new();
    private readonly InProcessCoordination.Callbacks<Action<string>> cancels = new();
    private readonly InProcessCoordination.Callbacks<Action<string, string>> changes = new();
    private readonly string connectionString;
    private readonly TimeSpan checkInterval;
    private readonly TimeProvider time;
    private readonly ILogger<PostgresCoordination> logger;
    private readonly PostgresSignalSender sender;
    private readonly PostgresLeaderLock leaders;
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? listener;
    private Task? sending;
    private int stopped;

    public PostgresCoordination(IOptions<StorageOptions> storage, IOptions<NodeOptions> node, TimeProvider time, ILogger<PostgresCoordination> logger)
    {
        connectionString = storage.Value.ConnectionString is { Length: > 0 } given
            ? given
            : throw new ValidationException("Mizzen:Storage:ConnectionString", "is required when Mizzen:Storage:Provider is postgres (Host=...;Database=...;Username=...;Password=...)");
        NodeId = ValidNodeId(node.Value.Id);
        checkInterval = node.Value.ConnectionCheckInterval > TimeSpan.Zero
            ? node.Value.ConnectionCheckInterval
            : throw new ValidationException("Mizzen:Node:ConnectionCheckInterval", "must be a positive time span such as 00:00:05");
        this.time = time;
        this.logger = logger;
        sender = new PostgresSignalSender(Connection("notify", pooled: true), NodeId, time, logger);
        leaders = new PostgresLeaderLock(this, time, logger);
    }

    public string NodeId { get; }

    internal TimeSpan CheckInterval => checkInterval;

    /// <summary>Seconds a liveness ping may take before its connection counts as dead.</summary>
    internal int PingTimeout => (int)Math.Max(1, Math.Ceiling(checkInterval.TotalSeconds));

    /// <summary>Whether the listener holds this node's identity lock now (false for a moment after a reconnect).</summary>
    internal bool HoldsIdentity { get; private set; }

    /// <summary>
    /// Takes this node's identity lock and starts listening; fails (naming <c>Mizzen:Node:Id</c>) when another live node uses the
    /// same id, or when the database cannot be reached at all. Later connection losses are retried in the background.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (listener is not null)
        {
            await listening.Task.WaitAsync(cancellationToken);
            return;
        }

        sending = sender.RunAsync(stopping.Token);
        listener = ListenAsync(stopping.Token);
        await listening.Task.WaitAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync();
        Task[] loops = [listener ?? Task.CompletedTask, sending ?? Task.CompletedTask];
        await Task.WhenAll(loops).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        await sender.DisposeAsync();
        stopping.Dispose();
    }

    public void SignalMessagesAvailable()
    {
        RaiseWake();
        sender.Send(WakeChannel, "");
    }

    public IDisposable OnMessagesAvailable(Action callback) => wakeUps.Add(callback);

    public void PublishCancel(string executionId)
    {
        RaiseCancel(executionId);
        sender.Send(CancelChannel, executionId);
    }

    public IDisposable OnCancel(Action<string> callback) => cancels.Add(callback);

    public void PublishExecutionChanged(string executionId, string application)
    {
        RaiseChanged(executionId, application);
        sender.Send(ChangesChannel, PostgresSignalSender.Change(executionId, application));
    }

    public IDisposable OnExecutionChanged(Action<string, string> callback) => changes.Add(callback);

    public Task RunAsLeaderAsync(string name, Func<CancellationToken, Task> work, TimeSpan retryInterval, CancellationToken stoppingToken) =>
        leaders.RunAsync(name, work, retryInterval, stoppingToken);

    /// <summary>
    /// Connections that hold session state (LISTEN, advisory locks) are never pooled; each is named in <c>pg_stat_activity</c>
    /// by its role and node. The server probes those sessions over TCP (keepalives after 10 s idle, every 5 s, 3 misses): a node
    /// whose machine vanished loses its locks in about 25 s instead of the operating system's two hours, so another node can
    /// lead and the node can restart.
    /// </summary>
    internal NpgsqlConnectionStringBuilder Connection(string role, bool pooled = false)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = pooled, ApplicationName = Truncate($"mizzen {role} {NodeId}") };
        if (!pooled)
        {
            builder.Options = $"{builder.Options} -c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3".Trim();
        }

        return builder;
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var retry = FirstRetry;
        var first = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(Connection("listen").ConnectionString);
                await connection.OpenAsync(cancellationToken);
                connection.Notification += OnNotification;
                HoldsIdentity = await PostgresAdvisoryKeys.TryLockAsync(connection, PostgresAdvisoryKeys.Identity, NodeId, cancellationToken);
                if (!HoldsIdentity && first)
                {
                    listening.TrySetException(new ConflictException(
                        $"another live Mizzen node on this database already uses the node id '{NodeId}': give each node its own stable "
                        + "Mizzen:Node:Id (default: the machine name), or stop the other node first (if it just died with its machine, "
                        + "PostgreSQL drops its session within about 30 s)"));
                    return;
                }

                await using (var listen = new NpgsqlCommand($"LISTEN {WakeChannel}; LISTEN {CancelChannel}; LISTEN {ChangesChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                if (first)
                {
                    listening.TrySetResult();
                    first = false;
                }
                else
                {
                    LogReconnected(NodeId);
                    RaiseWake();
                    RaiseChanged("", "");
                }

                retry = FirstRetry;
                await WatchAsync(connection, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                HoldsIdentity = false;
                if (first)
                {
                    listening.TrySetException(new CoordinationUnavailableException("could not connect to PostgreSQL to listen for other nodes' signals", e));
                    return;
                }

                LogListenerLost(e, retry);
                try
                {
                    await Task.Delay(retry, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = retry * 2 < LastRetry ? retry * 2 : LastRetry;
            }
        }
    }

    /// <summary>Reads notifications until the connection fails; when idle, proves it alive and retakes a lost identity lock.</summary>
    private async Task WatchAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await connection.WaitAsync(checkInterval, cancellationToken))
            {
                continue;
            }

            if (!HoldsIdentity)
            {
                // After a reconnect the server may not yet have noticed the old session died; retake the lock once it has.
                HoldsIdentity = await PostgresAdvisoryKeys.TryLockAsync(connection, PostgresAdvisoryKeys.Identity, NodeId, cancellationToken);
                if (!HoldsIdentity)
                {
                    LogIdentityHeldElsewhere(NodeId);
                }

                continue;
            }

            await using var ping = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = PingTimeout };
            await ping.ExecuteScalarAsync(cancellationToken);
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        var payload = e.Payload;
        var newline = payload.IndexOf('\n', StringComparison.Ordinal);
        var from = newline < 0 ? payload : payload[..newline];
        if (from == NodeId)
        {
            return;
        }

        var items = newline < 0 ? [] : payload[(newline + 1)..].Split('\n');
        switch (e.Channel)
        {
            case WakeChannel:
                RaiseWake();
                break;
            case CancelChannel:
                foreach (var executionId in items)
                {
                    RaiseCancel(executionId);
                }

                break;
            case ChangesChannel:
                foreach (var item in items)
                {
                    var tab = item.IndexOf('\t', StringComparison.Ordinal);
                    RaiseChanged(tab < 0 ? item : item[..tab], tab < 0 ? "" : item[(tab + 1)..]);
                }

                break;
        }
    }

    private void RaiseWake()
    {
        foreach (var callback in wakeUps.Current)
        {
            Guard(() => callback());
        }
    }

    private void RaiseCancel(string executionId)
    {
        foreach (var callback in cancels.Current)
        {
            Guard(() => callback(executionId));
        }
    }

    private void RaiseChanged(string executionId, string application)
    {
        foreach (var callback in changes.Current)
        {
            Guard(() => callback(executionId, application));
        }
    }

    // A subscriber's bug must not stop the listener (its loop raises these callbacks).
    private void Guard(Action call)
    {
        try
        {
            call();
        }
        catch (Exception e)
        {
            LogCallbackFailed(e);
        }
    }

    private static string ValidNodeId(string? id) =>
        id is { Length: > 0 and <= 200 } && !id.Any(char.IsControl) && id.Trim() == id
            ? id
            : throw new ValidationException("Mizzen:Node:Id", "must be 1 to 200 characters without control characters or surrounding spaces (default: the machine name)");

    // PostgreSQL keeps the first 63 bytes of application_name; keep whole characters.
    private static string Truncate(string name) => name.Length <= 60 ? name : name[..60];

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Lost the PostgreSQL connection that listens for other nodes' signals; reconnecting in {Retry}")]
    private partial void LogListenerLost(Exception exception, TimeSpan retry);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Listening for other nodes' signals again (node {NodeId}); waking the queue and the live streams in case signals were missed")]
    private partial void LogReconnected(string nodeId);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Node id {NodeId} is held by another session after a reconnect; if another node uses this Mizzen:Node:Id, stop one of them")]
    private partial void LogIdentityHeldElsewhere(string nodeId);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Error, Message = "A coordination callback failed; the signal was skipped for it")]
    private partial void LogCallbackFailed(Exception exception);
}

/// <summary>PostgreSQL could not be reached (transient: the same call may succeed once the database is back).</summary>
public sealed class CoordinationUnavailableException(string message, Exception inner) : MizzenException($"{message}: {inner.Message}", inner)
{
    public override ErrorKind Kind => ErrorKind.Upstream;

    public override bool IsTransient => true;
}

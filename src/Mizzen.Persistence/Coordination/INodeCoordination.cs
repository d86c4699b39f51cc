namespace Mizzen.Persistence.Coordination;

/// <summary>
/// What the Mizzen nodes sharing one store tell each other. With SQLite there is one node and everything is in-process;
/// with PostgreSQL signals travel by LISTEN/NOTIFY and leadership is a session advisory lock. Signals are hints, never the
/// record: a lost one costs latency (the queue is polled, streams re-read the store), never correctness.
/// Callbacks run on a pool thread; they must be quick and must not throw.
/// </summary>
public interface INodeCoordination
{
    /// <summary>This node's stable id (<see cref="NodeOptions.Id"/>): it owns the leases it takes and the local accounts bound to it.</summary>
    string NodeId { get; }

    /// <summary>Messages due now were committed: wake every node's queue worker (this one's at once).</summary>
    void SignalMessagesAvailable();

    IDisposable OnMessagesAvailable(Action callback);

    /// <summary>Interrupt task work of an execution wherever it runs (this node's callbacks run at once).</summary>
    void PublishCancel(string executionId);

    IDisposable OnCancel(Action<string> callback);

    /// <summary>The change feed: an execution changed (committed). Subscribers read the stored state themselves.</summary>
    void PublishExecutionChanged(string executionId, string application);

    /// <summary>
    /// Calls <paramref name="callback"/> with (execution id, application) for each change. Both empty means changes may have been
    /// missed (the node's signal connection was lost and is back): every subscriber should re-read what it shows.
    /// </summary>
    IDisposable OnExecutionChanged(Action<string, string> callback);

    /// <summary>
    /// Runs <paramref name="work"/> whenever this node holds the cluster-wide lock <paramref name="name"/>, at most one node at
    /// a time: waits (retrying every <paramref name="retryInterval"/>) until the lock is free, then calls <paramref name="work"/>
    /// with a token that is cancelled when leadership is lost (the lock's connection died) or <paramref name="stoppingToken"/>
    /// fires. When <paramref name="work"/> returns, the lock is released. Returns when <paramref name="stoppingToken"/> fires.
    /// </summary>
    Task RunAsLeaderAsync(string name, Func<CancellationToken, Task> work, TimeSpan retryInterval, CancellationToken stoppingToken);
}

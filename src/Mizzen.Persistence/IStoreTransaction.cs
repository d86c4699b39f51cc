using Mizzen.Core.Model;
using Mizzen.Persistence.Audit;
using Mizzen.Persistence.Queue;

namespace Mizzen.Persistence;

/// <summary>
/// One write transaction: executions loaded here are tracked, and on <see cref="CommitAsync"/> every change to them
/// (status, contexts, new or removed stages), every pushed message and the acknowledgement of the message being
/// handled are written atomically. Disposing without committing rolls everything back.
/// </summary>
public interface IStoreTransaction : IAsyncDisposable
{
    /// <summary>Loads and tracks an execution; null when it does not exist.</summary>
    Task<PipelineExecution?> LoadExecutionAsync(string id, CancellationToken cancellationToken);

    /// <summary>Tracks a new execution: it is inserted on commit.</summary>
    void AddExecution(PipelineExecution execution);

    /// <summary>Deletes an execution and its stages on commit.</summary>
    void DeleteExecution(string id);

    /// <summary>The id of the execution whose trigger carries <paramref name="correlationId"/>, if one was stored.</summary>
    Task<string?> FindByCorrelationIdAsync(string correlationId, CancellationToken cancellationToken);

    void Push(OutgoingMessage message);

    /// <summary>Acknowledges a claimed message; fails the commit if the lease was lost to another worker.</summary>
    void Ack(QueueMessage message);

    /// <summary>Executions of a pipeline config in RUNNING (or PAUSED) state, other than <paramref name="exceptId"/>.</summary>
    Task<int> CountActiveAsync(string pipelineConfigId, string exceptId, CancellationToken cancellationToken);

    /// <summary>Queues a start (or restart) message for a config that is at its concurrency limit.</summary>
    void EnqueuePending(string pipelineConfigId, string executionId, string kind, string payload);

    /// <summary>Takes pending entries: the oldest (FIFO) or all of them newest first (purge mode decides what to do with the rest).</summary>
    Task<IReadOnlyList<PendingEntry>> TakePendingAsync(string pipelineConfigId, bool all, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a document of the document store (as <c>IDocumentStore.PutAsync</c>: one revision) in this transaction, written at
    /// commit with the rest: a fact about a change (a trigger's status naming the run it started) is stored with it or not at all,
    /// and costs no commit of its own.
    /// </summary>
    void PutDocument(string collection, string key, string body, string savedBy);

    /// <summary>
    /// Appends an audit record to the <c>audit_log</c> table in this transaction, written at commit with the rest: the change and
    /// the record of who made it commit together or not at all, so a crash between the two cannot leave a change without its record.
    /// An implementation that cannot write it in the same commit must throw rather than write it separately.
    /// </summary>
    void AppendAudit(AuditRecord record) =>
        throw new NotSupportedException($"{GetType().Name} cannot write an audit record in its own transaction");

    Task CommitAsync(CancellationToken cancellationToken);
}

public sealed record PendingEntry(long Id, string PipelineConfigId, string ExecutionId, string Kind, string Payload);

/// <summary>Starts write transactions. On SQLite they are serialized; on PostgreSQL the executions loaded are row-locked.</summary>
public interface IStore
{
    Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken);
}

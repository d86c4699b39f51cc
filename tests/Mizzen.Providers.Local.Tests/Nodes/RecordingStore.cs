using System.Collections.Concurrent;
using Mizzen.Core.Model;
using Mizzen.Persistence;
using Mizzen.Persistence.Queue;

namespace Mizzen.Providers.Local.Tests.Nodes;

/// <summary>The real store, with every message a committed transaction pushed kept for the test to read (with its node).</summary>
internal sealed class RecordingStore(IStore inner) : IStore
{
    public ConcurrentQueue<OutgoingMessage> Committed { get; } = new();

    public async Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken) =>
        new RecordingTransaction(await inner.BeginAsync(cancellationToken), Committed);

    private sealed class RecordingTransaction(IStoreTransaction inner, ConcurrentQueue<OutgoingMessage> committed) : IStoreTransaction
    {
        private readonly List<OutgoingMessage> pushed = [];

        public Task<PipelineExecution?> LoadExecutionAsync(string id, CancellationToken cancellationToken) => inner.LoadExecutionAsync(id, cancellationToken);

        public void AddExecution(PipelineExecution execution) => inner.AddExecution(execution);

        public void DeleteExecution(string id) => inner.DeleteExecution(id);

        public Task<string?> FindByCorrelationIdAsync(string correlationId, CancellationToken cancellationToken) =>
            inner.FindByCorrelationIdAsync(correlationId, cancellationToken);

        public void Push(OutgoingMessage message)
        {
            pushed.Add(message);
            inner.Push(message);
        }

        public void Ack(QueueMessage message) => inner.Ack(message);

        public void PutDocument(string collection, string key, string body, string savedBy) => inner.PutDocument(collection, key, body, savedBy);

        public void AppendAudit(Mizzen.Persistence.Audit.AuditRecord record) => inner.AppendAudit(record);

        public Task<int> CountActiveAsync(string pipelineConfigId, string exceptId, CancellationToken cancellationToken) =>
            inner.CountActiveAsync(pipelineConfigId, exceptId, cancellationToken);

        public void EnqueuePending(string pipelineConfigId, string executionId, string kind, string payload) =>
            inner.EnqueuePending(pipelineConfigId, executionId, kind, payload);

        public Task<IReadOnlyList<PendingEntry>> TakePendingAsync(string pipelineConfigId, bool all, CancellationToken cancellationToken) =>
            inner.TakePendingAsync(pipelineConfigId, all, cancellationToken);

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            await inner.CommitAsync(cancellationToken);
            foreach (var message in pushed)
            {
                committed.Enqueue(message);
            }
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

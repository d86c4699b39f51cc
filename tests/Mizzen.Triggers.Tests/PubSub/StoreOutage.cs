using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Persistence;
using Mizzen.Persistence.Documents;
using Mizzen.Persistence.Queue;

namespace Mizzen.Triggers.Tests.PubSub;

/// <summary>
/// The real store with an outage a test switches on: while <see cref="FailNextStatusWrites"/> is above zero, recording a trigger's
/// status throws as a dropped connection would — a status written on its own (a skipped trigger), or the commit of a run's start,
/// which carries its trigger's status, so the run is not stored either. With <see cref="Stall"/>, such a write waits until the test
/// releases it instead (a store that has become slow).
/// </summary>
public sealed class StoreOutage(IDocumentStore store) : IDocumentStore
{
    private int failures;

    public int FailNextStatusWrites
    {
        get => Volatile.Read(ref failures);
        set => Volatile.Write(ref failures, value);
    }

    /// <summary>Wraps the registered <see cref="IDocumentStore"/> of <paramref name="services"/>; the outage is then a singleton to arm.</summary>
    public static void AddTo(IServiceCollection services)
    {
        var real = services.Last(d => d.ServiceType == typeof(IDocumentStore));
        services.Remove(real);
        var type = real.ImplementationType ?? throw new InvalidOperationException("the document store is expected to be registered by type");
        services.AddSingleton(type);
        services.AddSingleton(sp => new StoreOutage((IDocumentStore)sp.GetRequiredService(type)));
        services.AddSingleton<IDocumentStore>(sp => sp.GetRequiredService<StoreOutage>());

        var store = services.Last(d => d.ServiceType == typeof(IStore));
        services.Remove(store);
        services.AddSingleton<IStore>(sp => new OutageStore(Build(sp, store), sp.GetRequiredService<StoreOutage>()));
    }

    private static IStore Build(IServiceProvider services, ServiceDescriptor descriptor) =>
        (IStore)(descriptor.ImplementationInstance
                 ?? descriptor.ImplementationFactory?.Invoke(services)
                 ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    /// <summary>Before a commit that carries a trigger's status: throws or stalls as the outage says.</summary>
    private async Task BeforeStatusWriteAsync(CancellationToken cancellationToken)
    {
        if (TakeOneFailure())
        {
            throw new IOException("the store connection was reset (a test's outage)");
        }

        if (Stall is { } stall)
        {
            Stalled.TrySetResult();
            await stall.Task.WaitAsync(cancellationToken);
        }
    }

    private sealed class OutageStore(IStore inner, StoreOutage outage) : IStore
    {
        public async Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken) =>
            new OutageTransaction(await inner.BeginAsync(cancellationToken), outage);
    }

    private sealed class OutageTransaction(IStoreTransaction inner, StoreOutage outage) : IStoreTransaction
    {
        private bool carriesStatus;

        public Task<PipelineExecution?> LoadExecutionAsync(string id, CancellationToken cancellationToken) => inner.LoadExecutionAsync(id, cancellationToken);

        public void AddExecution(PipelineExecution execution) => inner.AddExecution(execution);

        public void DeleteExecution(string id) => inner.DeleteExecution(id);

        public Task<string?> FindByCorrelationIdAsync(string correlationId, CancellationToken cancellationToken) =>
            inner.FindByCorrelationIdAsync(correlationId, cancellationToken);

        public void Push(OutgoingMessage message) => inner.Push(message);

        public void Ack(QueueMessage message) => inner.Ack(message);

        public Task<int> CountActiveAsync(string pipelineConfigId, string exceptId, CancellationToken cancellationToken) =>
            inner.CountActiveAsync(pipelineConfigId, exceptId, cancellationToken);

        public void EnqueuePending(string pipelineConfigId, string executionId, string kind, string payload) =>
            inner.EnqueuePending(pipelineConfigId, executionId, kind, payload);

        public Task<IReadOnlyList<PendingEntry>> TakePendingAsync(string pipelineConfigId, bool all, CancellationToken cancellationToken) =>
            inner.TakePendingAsync(pipelineConfigId, all, cancellationToken);

        public void PutDocument(string collection, string key, string body, string savedBy)
        {
            carriesStatus |= collection == "trigger-status";
            inner.PutDocument(collection, key, body, savedBy);
        }

        public void AppendAudit(Mizzen.Persistence.Audit.AuditRecord record) => inner.AppendAudit(record);

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            if (carriesStatus)
            {
                await outage.BeforeStatusWriteAsync(cancellationToken);
            }

            await inner.CommitAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>While set, status writes wait for it; <see cref="Stalled"/> completes when the first one starts waiting.</summary>
    public TaskCompletionSource? Stall { get; set; }

    public TaskCompletionSource Stalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<StoredDocument> PutAsync(string collection, string key, string body, string savedBy, CancellationToken cancellationToken)
    {
        if (collection == "trigger-status" && TakeOneFailure())
        {
            throw new IOException("the store connection was reset (a test's outage)");
        }

        if (collection == "trigger-status" && Stall is { } stall)
        {
            Stalled.TrySetResult();
            await stall.Task.WaitAsync(cancellationToken);
        }

        return await store.PutAsync(collection, key, body, savedBy, cancellationToken);
    }

    private bool TakeOneFailure()
    {
        while (Volatile.Read(ref failures) is var left && left > 0)
        {
            if (Interlocked.CompareExchange(ref failures, left - 1, left) == left)
            {
                return true;
            }
        }

        return false;
    }

    public Task<StoredDocument> SaveRevisionAsync(string collection, string key, string body, string savedBy, CancellationToken cancellationToken) =>
        store.SaveRevisionAsync(collection, key, body, savedBy, cancellationToken);

    public Task<StoredDocument?> GetAsync(string collection, string key, int? revision, CancellationToken cancellationToken) =>
        store.GetAsync(collection, key, revision, cancellationToken);

    public Task<IReadOnlyList<StoredDocument>> ListAsync(string collection, CancellationToken cancellationToken) => store.ListAsync(collection, cancellationToken);

    public Task<StoredDocument?> FindAsync(string collectionPrefix, string key, CancellationToken cancellationToken) =>
        store.FindAsync(collectionPrefix, key, cancellationToken);

    public Task<IReadOnlyList<StoredDocument>> RevisionsAsync(string collection, string key, CancellationToken cancellationToken) =>
        store.RevisionsAsync(collection, key, cancellationToken);

    public Task<bool> DeleteAsync(string collection, string key, CancellationToken cancellationToken) => store.DeleteAsync(collection, key, cancellationToken);
}

using Microsoft.Extensions.DependencyInjection;
using Mizzen.Persistence.Documents;

namespace Mizzen.Triggers.Tests.PubSub;

/// <summary>
/// The real document store with an outage a test switches on: while <see cref="FailNextStatusWrites"/> is above zero, recording a trigger's
/// status throws as a dropped connection would. That is the worst moment for a dispatch to fail: the run is already stored. With
/// <see cref="Stall"/>, such a write waits until the test releases it instead (a store that has become slow).
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

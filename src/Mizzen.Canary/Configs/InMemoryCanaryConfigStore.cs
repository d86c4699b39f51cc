using System.Collections.Concurrent;

namespace Mizzen.Canary.Configs;

/// <summary>An <see cref="ICanaryConfigStore"/> in memory, for tests and the single-process demo. Configs are copied in and out.</summary>
public sealed class InMemoryCanaryConfigStore(TimeProvider timeProvider) : ICanaryConfigStore
{
    private readonly ConcurrentDictionary<(string Application, string Id), List<StoredCanaryConfig>> configs = new();

    public Task<StoredCanaryConfig> SaveAsync(string application, CanaryConfig config, string savedBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(application);
        ArgumentNullException.ThrowIfNull(config);
        cancellationToken.ThrowIfCancellationRequested();
        var copy = Copy(config);
        copy.Id = string.IsNullOrEmpty(copy.Id) ? Guid.NewGuid().ToString() : copy.Id;
        var revisions = configs.GetOrAdd((application, copy.Id), _ => []);
        lock (revisions)
        {
            var stored = new StoredCanaryConfig(application, copy.Id, revisions.Count + 1, copy, savedBy, timeProvider.GetUtcNow());
            revisions.Add(stored);
            return Task.FromResult(stored with { Config = Copy(copy) });
        }
    }

    public Task<StoredCanaryConfig?> GetAsync(string application, string id, int? revision, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!configs.TryGetValue((application, id), out var revisions))
        {
            return Task.FromResult<StoredCanaryConfig?>(null);
        }

        lock (revisions)
        {
            var found = revision is { } r ? revisions.FirstOrDefault(s => s.Revision == r) : revisions.LastOrDefault();
            return Task.FromResult(found is null ? null : found with { Config = Copy(found.Config) });
        }
    }

    public Task<StoredCanaryConfig?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var application = configs.Keys.Where(k => k.Id == id).Select(k => k.Application).FirstOrDefault();
        return application is null ? Task.FromResult<StoredCanaryConfig?>(null) : GetAsync(application, id, null, cancellationToken);
    }

    public Task<IReadOnlyList<StoredCanaryConfig>> ListAsync(string application, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var latest = configs.Where(e => e.Key.Application == application)
            .Select(e =>
            {
                lock (e.Value)
                {
                    return e.Value[^1];
                }
            })
            .OrderBy(s => s.Config.Name, StringComparer.Ordinal)
            .Select(s => s with { Config = Copy(s.Config) })
            .ToList();
        return Task.FromResult<IReadOnlyList<StoredCanaryConfig>>(latest);
    }

    public Task<IReadOnlyList<StoredCanaryConfig>> ListRevisionsAsync(string application, string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!configs.TryGetValue((application, id), out var revisions))
        {
            return Task.FromResult<IReadOnlyList<StoredCanaryConfig>>([]);
        }

        lock (revisions)
        {
            return Task.FromResult<IReadOnlyList<StoredCanaryConfig>>(revisions.Select(s => s with { Config = Copy(s.Config) }).ToList());
        }
    }

    public Task<bool> DeleteAsync(string application, string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(configs.TryRemove((application, id), out _));
    }

    private static CanaryConfig Copy(CanaryConfig config) => CanaryConfigJson.Parse(CanaryConfigJson.Serialize(config));
}

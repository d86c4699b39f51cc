using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Caching;

/// <summary>
/// One account's cache of the cluster (clouddriver's caching agents, informer-style): for each kind asked for, a LIST then a WATCH
/// per allowed namespace (or one cluster-wide when the account allows every namespace). Reads, stability checks and versioning consult
/// it, so polling a rollout costs no API request. A kind's first use waits for its LIST; later reads answer from memory. Objects in
/// omitted namespaces or of omitted kinds, with <c>caching.spinnaker.io/ignore: "true"</c>, or (with <c>onlySpinnakerManaged</c>)
/// without a moniker application are left out.
/// </summary>
public sealed class KubernetesResourceCache : IDisposable
{
    private readonly KubernetesAccount account;
    private readonly TimeProvider time;
    private readonly TimeSpan watchTimeout;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<KindInformer>>>> informers = new(StringComparer.OrdinalIgnoreCase);

    internal KubernetesResourceCache(KubernetesAccount account, TimeProvider time, TimeSpan watchTimeout, ILogger logger)
    {
        this.account = account;
        this.time = time;
        this.watchTimeout = watchTimeout;
        this.logger = logger;
    }

    /// <summary>Every cached object of the kind (in <paramref name="ns"/>, or all allowed namespaces when null); starts the kind's watch on first use.</summary>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(string kind, string? ns, CancellationToken cancellationToken)
    {
        var kindInformers = await InformersAsync(kind, cancellationToken);
        return [.. kindInformers.SelectMany(i => i.Objects).Where(o => ns is null || new KubernetesManifest(o).Namespace == ns)];
    }

    /// <summary>The cached object, or null when the cluster has none (as of the last event the watch delivered).</summary>
    public async Task<JsonObject?> GetAsync(string kind, string? ns, string name, CancellationToken cancellationToken)
    {
        foreach (var informer in await InformersAsync(kind, cancellationToken))
        {
            if (informer.Get(ns, name) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>Records Mizzen's own write (the API's answer) at once, when the kind is cached.</summary>
    public void Upsert(JsonObject obj)
    {
        var m = new KubernetesManifest(obj);
        foreach (var informer in Started(m.Kind).Where(i => i.Namespace is null || i.Namespace == m.Namespace))
        {
            informer.Upsert(obj);
        }
    }

    /// <summary>Records Mizzen's own delete at once.</summary>
    public void Remove(string kind, string? ns, string name)
    {
        foreach (var informer in Started(kind))
        {
            informer.Remove(ns, name);
        }
    }

    /// <summary>Total changes the cache has seen (lists, events, own writes) for the kinds started.</summary>
    public long Changes => informers.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully).SelectMany(l => l.Value.Result).Sum(i => i.Changes);

    public void Dispose()
    {
        foreach (var lazy in informers.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
        {
            foreach (var informer in lazy.Value.Result)
            {
                informer.Dispose();
            }
        }
    }

    private IEnumerable<KindInformer> Started(string kind)
    {
        var known = KubernetesKinds.Find(kind)?.Kind ?? kind;
        return informers.TryGetValue(known, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully ? lazy.Value.Result : [];
    }

    private async Task<IReadOnlyList<KindInformer>> InformersAsync(string kind, CancellationToken cancellationToken)
    {
        var known = KubernetesKinds.Find(kind)
                    ?? throw new Core.Errors.ValidationException("kind", $"kind '{kind}' is not one Mizzen caches");
        var lazy = informers.GetOrAdd(known.Kind, _ => new Lazy<Task<IReadOnlyList<KindInformer>>>(() => StartAsync(known)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            informers.TryRemove(new KeyValuePair<string, Lazy<Task<IReadOnlyList<KindInformer>>>>(known.Kind, lazy)); // the next read tries again
            throw;
        }
    }

    private async Task<IReadOnlyList<KindInformer>> StartAsync(KubernetesKind kind)
    {
        if (!account.IsKindAllowed(kind.Kind))
        {
            return [];
        }

        var namespaces = kind.Namespaced && account.Options.Namespaces.Count > 0 ? account.Options.Namespaces.Cast<string?>() : [null];
        var started = new List<KindInformer>();
        foreach (var ns in namespaces)
        {
            var informer = new KindInformer(account.Client, kind, ns, Include, time, watchTimeout, logger);
            await informer.StartAsync(CancellationToken.None); // shared by every reader: one caller's cancellation must not fail the others
            started.Add(informer);
        }

        KubernetesLog.CacheStarted(logger, account.Name, kind.Kind, started.Sum(i => i.Objects.Count()));
        return started;
    }

    private bool Include(JsonObject obj)
    {
        var m = new KubernetesManifest(obj);
        if (!account.IsNamespaceAllowed(m.Namespace) || m.Annotation(KubernetesAnnotations.CachingIgnore) == "true")
        {
            return false;
        }

        return !account.Options.OnlySpinnakerManaged || m.Annotation(KubernetesAnnotations.Application) is not null;
    }
}

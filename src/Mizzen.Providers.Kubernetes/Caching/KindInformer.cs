using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Json;
using Mizzen.Providers.Kubernetes.Api;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Caching;

/// <summary>
/// The objects of one kind (in one namespace, or cluster-wide) kept current the way client-go's informers do: one LIST, then a WATCH
/// from the list's resourceVersion, renewed from the last seen version when the server ends it, and a new LIST when the version has
/// expired (410 Gone). Secrets are stored without <c>data</c>/<c>stringData</c>: the cache never holds secret values.
/// </summary>
internal sealed class KindInformer(
    KubernetesResourceClient client,
    KubernetesKind kind,
    string? ns,
    Func<JsonObject, bool> include,
    TimeProvider time,
    TimeSpan watchTimeout,
    ILogger logger) : IDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string? Namespace, string Name), JsonObject> objects = new();
    private readonly CancellationTokenSource stopping = new();
    private Task watching = Task.CompletedTask;
    private string resourceVersion = "";

    public KubernetesKind Kind => kind;

    public string? Namespace => ns;

    /// <summary>Counts changes seen (a test or a benchmark can tell the cache moved).</summary>
    public long Changes { get; private set; }

    public IEnumerable<JsonObject> Objects => objects.Values;

    public JsonObject? Get(string? objectNamespace, string name) => objects.GetValueOrDefault((objectNamespace, name));

    /// <summary>The first LIST (the caller waits for it and sees its errors), then the watch loop in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ListAsync(cancellationToken);
        watching = Task.Run(() => WatchLoopAsync(stopping.Token), CancellationToken.None);
    }

    /// <summary>Records the result of Mizzen's own write at once (when newer than what the watch delivered), so a read right after sees it.</summary>
    public void Upsert(JsonObject obj)
    {
        var m = new KubernetesManifest(obj);
        var key = (m.Namespace, m.Name);
        if (!include(obj))
        {
            return;
        }

        var stored = Strip((JsonObject)obj.DeepClone());
        objects.AddOrUpdate(key, stored, (_, existing) => IsNewer(stored, existing) ? stored : existing);
        Changes++;
    }

    public void Remove(string? objectNamespace, string name)
    {
        if (objects.TryRemove((objectNamespace, name), out _))
        {
            Changes++;
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        try
        {
            watching.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // stopping: the loop's end is of no interest
        }

        stopping.Dispose();
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var list = await client.ListAsync(kind.ApiVersion, kind.Kind, ns, cancellationToken: cancellationToken);
        var fresh = list.Items.Where(include).ToDictionary(o => (new KubernetesManifest(o).Namespace, new KubernetesManifest(o).Name), Strip);
        foreach (var key in objects.Keys.Where(k => !fresh.ContainsKey(k)))
        {
            objects.TryRemove(key, out _);
        }

        foreach (var (key, obj) in fresh)
        {
            objects[key] = obj;
        }

        resourceVersion = list.ResourceVersion;
        Changes++;
    }

    private async Task WatchLoopAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in client.WatchAsync(kind, ns, resourceVersion, watchTimeout, cancellationToken: cancellationToken))
                {
                    Apply(change);
                    failures = 0;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException e) when (e.IsGone)
            {
                KubernetesLog.WatchExpired(logger, kind.Kind, ns ?? "*");
                if (!await RelistAsync(cancellationToken))
                {
                    failures++;
                    await BackoffAsync(failures, cancellationToken);
                }
            }
            catch (Exception e) when (e is KubernetesApiException or HttpRequestException or IOException or System.Text.Json.JsonException)
            {
                failures++;
                KubernetesLog.WatchFailed(logger, kind.Kind, ns ?? "*", e.Message);
                await BackoffAsync(failures, cancellationToken);
                await RelistAsync(cancellationToken);
            }
        }
    }

    private async Task<bool> RelistAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ListAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or IOException)
        {
            KubernetesLog.WatchFailed(logger, kind.Kind, ns ?? "*", e.Message);
            return false;
        }
    }

    private async Task BackoffAsync(int failures, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(failures, 5))));
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private void Apply(WatchEvent change)
    {
        var m = new KubernetesManifest(change.Object);
        if (m.ResourceVersion is { Length: > 0 } version)
        {
            resourceVersion = version;
        }

        switch (change.Type)
        {
            case "ADDED" or "MODIFIED" when include(change.Object):
                objects[(m.Namespace, m.Name)] = Strip(change.Object);
                Changes++;
                break;
            case "ADDED" or "MODIFIED" or "DELETED":
                Remove(m.Namespace, m.Name);
                break;
        }
    }

    private static bool IsNewer(JsonObject candidate, JsonObject existing) =>
        long.TryParse(candidate["metadata"]?["resourceVersion"].AsString(), out var a)
        && long.TryParse(existing["metadata"]?["resourceVersion"].AsString(), out var b)
            ? a >= b
            : true;

    private static JsonObject Strip(JsonObject obj)
    {
        if (obj["kind"].AsString() == "Secret")
        {
            obj.Remove("data");
            obj.Remove("stringData");
        }

        return obj;
    }
}

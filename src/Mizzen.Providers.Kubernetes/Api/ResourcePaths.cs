using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Api;

/// <summary>
/// REST paths of kinds: built-in kinds from <see cref="KubernetesKinds"/> (no request), others through API discovery
/// (<c>GET /apis/{group}/{version}</c>, once per group version and account).
/// </summary>
internal sealed class ResourcePaths(KubernetesConnection connection)
{
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, KubernetesKind>> discovered = new(StringComparer.Ordinal);

    public async Task<KubernetesKind> ResolveAsync(string apiVersion, string kind, CancellationToken cancellationToken)
    {
        if (KubernetesKinds.Find(apiVersion, kind) is { } known)
        {
            return known;
        }

        if (!discovered.TryGetValue(apiVersion, out var kinds))
        {
            kinds = await DiscoverAsync(apiVersion, cancellationToken);
            discovered[apiVersion] = kinds;
        }

        return kinds.GetValueOrDefault(kind)
               ?? throw new ValidationException("kind", $"the cluster serves no kind '{kind}' in '{apiVersion}'");
    }

    public static string Collection(KubernetesKind kind, string? ns) =>
        (kind.Group.Length == 0 ? $"/api/{kind.Version}" : $"/apis/{kind.Group}/{kind.Version}")
        + (kind.Namespaced && ns is not null ? $"/namespaces/{Uri.EscapeDataString(ns)}" : "")
        + "/" + kind.Plural;

    public static string Item(KubernetesKind kind, string? ns, string name, string? subresource = null) =>
        Collection(kind, ns) + "/" + Uri.EscapeDataString(name) + (subresource is null ? "" : "/" + subresource);

    private async Task<IReadOnlyDictionary<string, KubernetesKind>> DiscoverAsync(string apiVersion, CancellationToken cancellationToken)
    {
        var (group, _) = KubernetesKinds.SplitApiVersion(apiVersion);
        var path = group.Length == 0 ? $"/api/{apiVersion}" : $"/apis/{apiVersion}";
        JsonObject list;
        try
        {
            using var response = await connection.SendAsync(HttpMethod.Get, path, null, null, cancellationToken);
            list = MizzenJson.ParseObject(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            throw new ValidationException("apiVersion", $"the cluster serves no API '{apiVersion}'");
        }

        var kinds = new Dictionary<string, KubernetesKind>(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in (list["resources"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (resource["name"].AsString() is { } plural && !plural.Contains('/', StringComparison.Ordinal) && resource["kind"].AsString() is { } kind)
            {
                kinds.TryAdd(kind, KubernetesKinds.Custom(apiVersion, kind, plural, resource["namespaced"].AsBool() ?? true));
            }
        }

        return kinds;
    }
}

using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Api;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Istio;

/// <summary>
/// Traffic weights on Kubernetes: an Istio VirtualService is the load balancer of <c>setTrafficWeights</c> and of a canary's traffic
/// split. The load balancer is named <c>"virtualService NAME"</c>, <c>"NAMESPACE/NAME"</c> or <c>NAME</c> (in the account's default
/// namespace); each target is a DestinationRule subset (<c>baseline</c>, <c>canary</c>, <c>stable</c> ...) or a host. The new route
/// list is written with one merge patch of <c>spec.http</c> (a merge patch replaces the list whole, so no stale destination stays).
/// </summary>
public sealed class VirtualServiceTraffic(KubernetesAccounts accounts)
{
    private static readonly KubernetesKind Kind = KubernetesKinds.Find("VirtualService")!;

    public async Task SetWeightsAsync(string account, string name, IReadOnlyList<WeightedTarget> targets, CancellationToken cancellationToken)
    {
        var (owner, key) = Resolve(account, name);
        var current = await owner.Client.GetAsync(key, cancellationToken)
                      ?? throw new NotFoundException($"virtualService {key.Name} in {key.Namespace} (account {owner.Name}) does not exist: deploy it (and its DestinationRule subsets) with deployManifest first");
        var http = current["spec"]?["http"] as JsonArray
                   ?? throw new ValidationException("loadBalancer", $"virtualService {key.Name} in {key.Namespace} has no spec.http routes to weigh");
        var routes = VirtualServiceRoutes.WithWeights(http, targets, $"virtualService {key.Name} in {key.Namespace}");
        var patched = await owner.Client.PatchAsync(key, PatchType.Merge, new JsonObject { ["spec"] = new JsonObject { ["http"] = routes } }, cancellationToken);
        owner.Cache.Upsert(patched);
    }

    public async Task<LoadBalancerSummary?> GetAsync(string account, string name, CancellationToken cancellationToken)
    {
        var (owner, key) = Resolve(account, name);
        var current = await owner.Client.GetAsync(key, cancellationToken);
        return current is null ? null : Summary(owner.Name, current);
    }

    /// <summary>A VirtualService as the seam's load balancer: its first host as the URL, its first HTTP route's weights as targets.</summary>
    public static LoadBalancerSummary Summary(string account, JsonObject virtualService)
    {
        var manifest = new KubernetesManifest(virtualService);
        var host = (virtualService["spec"]?["hosts"] as JsonArray)?.FirstOrDefault().AsString() ?? $"{manifest.Name}.{manifest.Namespace}";
        var url = Uri.TryCreate($"http://{host}", UriKind.Absolute, out var parsed) ? parsed : new Uri($"http://{manifest.Name}");
        return new LoadBalancerSummary($"virtualService {manifest.Name}", account, 0, url, VirtualServiceRoutes.Weights(virtualService));
    }

    private (KubernetesAccount Account, ResourceKey Key) Resolve(string account, string name)
    {
        KubernetesAccount owner;
        try
        {
            owner = accounts.Get(account);
        }
        catch (NotFoundException e)
        {
            throw new ValidationException("account", e.Message);
        }

        var text = name.Trim();
        var parts = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 2)
        {
            if (!parts[0].Equals("virtualService", StringComparison.OrdinalIgnoreCase))
            {
                throw new ValidationException("loadBalancer", $"'{name}': traffic weights on Kubernetes are an Istio VirtualService's ('virtualService NAME')");
            }

            text = parts[1];
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var ns = slash > 0 ? text[..slash] : owner.DefaultNamespace;
        var vs = slash > 0 ? text[(slash + 1)..] : text;
        owner.EnsureAllowed(Kind.Kind, ns, "loadBalancer");
        return (owner, new ResourceKey(Kind.ApiVersion, Kind.Kind, ns, vs));
    }
}

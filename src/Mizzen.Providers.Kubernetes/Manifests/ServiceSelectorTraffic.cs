using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Api;

namespace Mizzen.Providers.Kubernetes.Manifests;

/// <summary>
/// Traffic through Service selectors (clouddriver's <c>KubernetesServiceHandler</c>): a workload receives a Service's traffic when its
/// pods carry the Service's selector labels. <see cref="Attach"/> adds them to a manifest before it is deployed; <see cref="SetAsync"/>
/// adds (enable) or removes (disable) them on a live workload's pod template and on each of its pods, by JSON patch, so traffic moves
/// at once. The load balancers are the <c>traffic.spinnaker.io/load-balancers</c> annotation's <c>["service name", ...]</c>.
/// </summary>
public static class ServiceSelectorTraffic
{
    /// <summary>The annotation's load balancers (<c>["service x"]</c>) as Service names; a malformed annotation is a validation error.</summary>
    public static IReadOnlyList<string> LoadBalancers(KubernetesManifest manifest)
    {
        if (manifest.Annotation(KubernetesAnnotations.LoadBalancers) is not { Length: > 0 } text)
        {
            return [];
        }

        try
        {
            return [.. (JsonNode.Parse(text) as JsonArray ?? []).Select(n => ServiceName(n.AsString() ?? "", manifest))];
        }
        catch (System.Text.Json.JsonException)
        {
            throw new ValidationException($"{manifest.FullName}.metadata.annotations", $"'{KubernetesAnnotations.LoadBalancers}' must be a JSON list such as [\"service my-svc\"], got {text}");
        }
    }

    /// <summary>Records <paramref name="services"/> (<c>"service x"</c>) in the annotation; a different list already there is an error (clouddriver's rule).</summary>
    public static void DeclareLoadBalancers(KubernetesManifest manifest, IReadOnlyList<string> services)
    {
        var value = new JsonArray([.. services.Select(s => (JsonNode?)s)]).ToJsonString();
        var existing = manifest.Annotation(KubernetesAnnotations.LoadBalancers);
        if (existing is not null && !LoadBalancers(manifest).SequenceEqual(services.Select(s => ServiceName(s, manifest))))
        {
            throw new ValidationException("trafficManagement.options.services", $"{manifest.FullName} already declares load balancers {existing}, which differ from {value}");
        }

        manifest.Annotations[KubernetesAnnotations.LoadBalancers] = value;
    }

    /// <summary>Adds the Service's selector labels to the manifest's pod template (or, for a Pod, its labels) before it is deployed.</summary>
    public static void Attach(KubernetesManifest manifest, JsonObject service)
    {
        var selector = Selector(service);
        var labels = TargetLabels(manifest);
        foreach (var (key, value) in selector)
        {
            if (labels[key] is { } existing && existing.AsString() != value)
            {
                throw new ValidationException($"{manifest.FullName}.labels", $"label '{key}' is '{existing.AsString()}' but service {new KubernetesManifest(service).Name} selects '{value}': a workload's own labels must not share keys with a traffic selector");
            }

            labels[key] = value;
        }
    }

    /// <summary>Enables (adds the selector labels) or disables (removes them) traffic from each load balancer to a live workload and its pods.</summary>
    public static async Task<int> SetAsync(KubernetesAccount account, KubernetesManifest workload, IReadOnlyList<JsonObject> services, IEnumerable<JsonObject> pods, bool enable, CancellationToken cancellationToken)
    {
        var selector = services.SelectMany(Selector).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value);
        if (selector.Count == 0)
        {
            return 0;
        }

        var prefix = workload.Kind == "Pod" ? "/metadata/labels" : workload.Kind == "CronJob" ? "/spec/jobTemplate/spec/template/metadata/labels" : "/spec/template/metadata/labels";
        var patched = 0;
        if (Patch(TargetLabels(workload.DeepClone()), prefix, selector, enable) is { Count: > 0 } ops)
        {
            account.Cache.Upsert(await account.Client.PatchAsync(workload.Key(), PatchType.Json, ops, cancellationToken));
            patched++;
        }

        foreach (var podJson in workload.Kind == "Pod" ? [] : pods)
        {
            var pod = new KubernetesManifest(podJson);
            if (Patch((JsonObject)pod.Labels.DeepClone(), "/metadata/labels", selector, enable) is { Count: > 0 } podOps)
            {
                account.Cache.Upsert(await account.Client.PatchAsync(pod.Key(), PatchType.Json, podOps, cancellationToken));
                patched++;
            }
        }

        return patched;
    }

    /// <summary>Whether any of <paramref name="services"/> currently selects the pod template's labels.</summary>
    public static bool IsSelectedBy(KubernetesManifest workload, IEnumerable<JsonObject> services)
    {
        var labels = TargetLabels(workload.DeepClone());
        return services.Any(s => Selector(s) is { Count: > 0 } sel && sel.All(p => labels[p.Key].AsString() == p.Value));
    }

    private static JsonArray Patch(JsonObject labels, string prefix, IReadOnlyDictionary<string, string> selector, bool enable)
    {
        var ops = new JsonArray();
        if (enable && labels.Count == 0)
        {
            // "add" to a missing map fails: create it first
            ops.Add(new JsonObject { ["op"] = "add", ["path"] = prefix, ["value"] = new JsonObject() });
        }

        foreach (var (key, value) in selector)
        {
            var path = $"{prefix}/{key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
            if (enable && labels[key].AsString() != value)
            {
                ops.Add(new JsonObject { ["op"] = "add", ["path"] = path, ["value"] = value });
            }
            else if (!enable && labels.ContainsKey(key))
            {
                ops.Add(new JsonObject { ["op"] = "remove", ["path"] = path });
            }
        }

        return ops;
    }

    private static Dictionary<string, string> Selector(JsonObject service)
    {
        var selector = (service["spec"]?["selector"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value.AsString() ?? "");
        return selector.Count == 0
            ? throw new ValidationException("trafficManagement.options.services", $"service {new KubernetesManifest(service).Name} has no selector: it cannot send traffic to a workload")
            : selector;
    }

    private static JsonObject TargetLabels(KubernetesManifest manifest) =>
        manifest.Kind == "Pod" || manifest.PodTemplate is not { } template
            ? manifest.Labels
            : KubernetesManifest.Child(KubernetesManifest.Child(template, "metadata"), "labels");

    private static string ServiceName(string loadBalancer, KubernetesManifest manifest)
    {
        var parts = loadBalancer.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !string.Equals(parts[0], "service", StringComparison.OrdinalIgnoreCase))
        {
            throw new ValidationException($"{manifest.FullName}.metadata.annotations", $"load balancer '{loadBalancer}' must be \"service <name>\" (only Services route traffic by selector)");
        }

        return parts[1];
    }
}

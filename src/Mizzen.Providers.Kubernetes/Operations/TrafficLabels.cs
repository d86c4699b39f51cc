using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Providers.Kubernetes.Operations;

/// <summary>
/// Traffic through Service selectors, as clouddriver's <c>KubernetesServiceHandler</c> does it: a workload receives a Service's
/// traffic when its pods carry every key of the Service's <c>spec.selector</c>. <c>enableManifest</c> adds those labels,
/// <c>disableManifest</c> removes them, each as one RFC 6902 JSON patch on the pod template's labels (or a Pod's own labels).
/// </summary>
internal static class TrafficLabels
{
    /// <summary>The annotation naming a workload's load balancers: a JSON list of <c>"service name"</c>.</summary>
    public const string LoadBalancersAnnotation = "traffic.spinnaker.io/load-balancers";

    public const string TemplateLabelsPath = "/spec/template/metadata/labels";
    public const string OwnLabelsPath = "/metadata/labels";

    /// <summary>The Service's selector; fails when it has none (a Service without a selector routes to nothing Spinnaker can move).</summary>
    public static IReadOnlyDictionary<string, string> SelectorOf(JsonObject service, string what)
    {
        var selector = (service["spec"]?["selector"] as JsonObject ?? [])
            .Where(p => p.Value.AsString() is not null)
            .ToDictionary(p => p.Key, p => p.Value.AsString()!, StringComparer.Ordinal);
        return selector.Count > 0
            ? selector
            : throw new ValidationException("loadBalancers", $"{what} has no spec.selector: traffic cannot be moved with its labels");
    }

    /// <summary>
    /// The load balancers to use: the stage's <c>loadBalancers</c> when given, else the workload's
    /// <c>traffic.spinnaker.io/load-balancers</c> annotation. Each is <c>"service name"</c> (or a bare name, a Service).
    /// </summary>
    public static IReadOnlyList<string> LoadBalancerNames(JsonNode? stageLoadBalancers, JsonObject workload)
    {
        var names = (stageLoadBalancers as JsonArray ?? []).Select(n => n.AsString()).OfType<string>().ToList();
        if (names.Count == 0 && workload["metadata"]?["annotations"]?[LoadBalancersAnnotation].AsString() is { Length: > 0 } annotation)
        {
            try
            {
                names = (JsonNode.Parse(annotation) as JsonArray ?? []).Select(n => n.AsString()).OfType<string>().ToList();
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new ValidationException($"metadata.annotations.{LoadBalancersAnnotation}", $"is not a JSON list of \"service name\": {e.Message}");
            }
        }

        return names.Select(ServiceName).ToList();
    }

    /// <summary><c>"service my-svc"</c> or <c>"my-svc"</c> → <c>my-svc</c>; another kind fails (only Services route by selector).</summary>
    public static string ServiceName(string loadBalancer)
    {
        var parts = loadBalancer.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 1)
        {
            return parts[0];
        }

        return parts[0].Equals("service", StringComparison.OrdinalIgnoreCase)
            ? parts[1]
            : throw new ValidationException("loadBalancers", $"'{loadBalancer}': only Services ('service NAME') route traffic by selector");
    }

    /// <summary>JSON patch that adds (or replaces) every selector label at <paramref name="labelsPath"/>.</summary>
    public static JsonArray EnablePatch(JsonObject? labels, IReadOnlyDictionary<string, string> selector, string labelsPath)
    {
        var patch = new JsonArray();
        if (labels is null)
        {
            patch.Add(new JsonObject { ["op"] = "add", ["path"] = labelsPath, ["value"] = new JsonObject() });
        }

        foreach (var (key, value) in selector.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var op = labels?.ContainsKey(key) == true ? "replace" : "add";
            patch.Add(new JsonObject { ["op"] = op, ["path"] = labelsPath + "/" + Escape(key), ["value"] = value });
        }

        return patch;
    }

    /// <summary>JSON patch that removes the selector labels present at <paramref name="labelsPath"/> (an empty patch when none are).</summary>
    public static JsonArray DisablePatch(JsonObject? labels, IReadOnlyDictionary<string, string> selector, string labelsPath)
    {
        var patch = new JsonArray();
        foreach (var key in selector.Keys.Order(StringComparer.Ordinal).Where(k => labels?.ContainsKey(k) == true))
        {
            patch.Add(new JsonObject { ["op"] = "remove", ["path"] = labelsPath + "/" + Escape(key) });
        }

        return patch;
    }

    /// <summary>Whether every selector label is on <paramref name="labels"/> with its value (the Service routes to it).</summary>
    public static bool IsSelectedBy(JsonObject? labels, IReadOnlyDictionary<string, string> selector) =>
        selector.All(p => labels?[p.Key].AsString() == p.Value);

    /// <summary>RFC 6901: <c>~</c> → <c>~0</c>, <c>/</c> → <c>~1</c> (label keys such as <c>app.kubernetes.io/name</c>).</summary>
    public static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}

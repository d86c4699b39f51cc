using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;

namespace Mizzen.Providers.Kubernetes.Istio;

/// <summary>
/// The weights of an Istio VirtualService's HTTP routes: what a canary on Kubernetes moves (Descartes Labs' "10 % to the canary for
/// 10 minutes, then 33 %"). A target names a destination by its <c>subset</c> (a DestinationRule subset such as <c>baseline</c> or
/// <c>canary</c>) or by its <c>host</c>. Istio wants integer weights that add up to 100, so relative weights are scaled (largest
/// remainder); destinations a call does not name keep their place with weight 0, so traffic can be moved back later.
/// </summary>
internal static class VirtualServiceRoutes
{
    /// <summary>
    /// A copy of <paramref name="http"/> (the VirtualService's <c>spec.http</c>) with the weights of <paramref name="targets"/>.
    /// The routes changed are the catch-all routes (no <c>match</c>: the traffic a canary shares), else those that already send to
    /// one of the targets; a header-matched route (e.g. "x-canary: 1 goes to the canary") is left alone. A missing subset is added
    /// with the host of the route's first destination.
    /// </summary>
    public static JsonArray WithWeights(JsonArray http, IReadOnlyList<WeightedTarget> targets, string what)
    {
        if (targets.Count == 0)
        {
            throw new ValidationException("targets", "name at least one subset (or host) with its weight");
        }

        if (targets.Any(t => t.Weight < 0))
        {
            throw new ValidationException("targets", "weights must not be negative");
        }

        if (targets.Sum(t => t.Weight) <= 0)
        {
            throw new ValidationException("targets", "at least one weight must be above 0");
        }

        var copy = (JsonArray)http.DeepClone();
        var routes = copy.OfType<JsonObject>().ToList();
        var chosen = routes.Where(r => r["match"] is null && Destinations(r).Any()).ToList();
        if (chosen.Count == 0)
        {
            chosen = routes.Where(r => Destinations(r).Any(d => targets.Any(t => Matches(d, t.ServerGroup)))).ToList();
        }

        if (chosen.Count == 0)
        {
            throw new ValidationException("loadBalancer", $"{what} has no catch-all HTTP route and no route to {string.Join(", ", targets.Select(t => t.ServerGroup))}");
        }

        var percents = Percentages(targets.Select(t => t.Weight).ToList());
        foreach (var route in chosen)
        {
            var destinations = (JsonArray)route["route"]!;
            var host = Destinations(route).First()["destination"]?["host"].AsString();
            foreach (var entry in Destinations(route))
            {
                entry["weight"] = 0;
            }

            for (var i = 0; i < targets.Count; i++)
            {
                var entry = Destinations(route).FirstOrDefault(d => Matches(d, targets[i].ServerGroup));
                if (entry is null)
                {
                    entry = new JsonObject { ["destination"] = new JsonObject { ["host"] = host, ["subset"] = targets[i].ServerGroup } };
                    destinations.Add(entry);
                }

                entry["weight"] = percents[i];
            }
        }

        return copy;
    }

    /// <summary>The weights of the first catch-all HTTP route (else the first route), by subset (or host when a destination has no subset).</summary>
    public static IReadOnlyList<WeightedTarget> Weights(JsonObject virtualService)
    {
        var routes = (virtualService["spec"]?["http"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var first = routes.FirstOrDefault(r => r["match"] is null) ?? routes.FirstOrDefault();
        if (first is null)
        {
            return [];
        }

        var destinations = Destinations(first).ToList();
        return destinations
            .Select(d => new WeightedTarget(
                d["destination"]?["subset"].AsString() ?? d["destination"]?["host"].AsString() ?? "",
                (int)(d["weight"].AsLong() ?? (destinations.Count == 1 ? 100 : 0))))
            .ToList();
    }

    /// <summary>Integer percentages proportional to <paramref name="weights"/>, adding up to exactly 100 (largest remainder).</summary>
    public static IReadOnlyList<int> Percentages(IReadOnlyList<int> weights)
    {
        var total = weights.Sum();
        var exact = weights.Select(w => w * 100.0 / total).ToList();
        var result = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var left = 100 - result.Sum();
        foreach (var index in exact.Select((e, i) => (Remainder: e - Math.Floor(e), Index: i)).OrderByDescending(x => x.Remainder).ThenBy(x => x.Index).Take(left))
        {
            result[index.Index]++;
        }

        return result;
    }

    private static IEnumerable<JsonObject> Destinations(JsonObject route) => (route["route"] as JsonArray ?? []).OfType<JsonObject>();

    private static bool Matches(JsonObject entry, string target)
    {
        var destination = entry["destination"];
        if (destination?["subset"].AsString() is { } subset)
        {
            return subset == target;
        }

        var host = destination?["host"].AsString();
        return host is not null && (host == target || host.Split('.')[0] == target);
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Cli.Output;
using Mizzen.Core.Json;

namespace Mizzen.Cli.Clusters;

/// <summary>
/// A cluster as tables: server groups (status, instances up/total, capacity, version, created), then load balancers, one row per
/// target: its configured weight, the share of traffic the load balancer sends it now and why (disabled, no Up instance, ...).
/// </summary>
internal static class ClusterView
{
    public static void Write(TextWriter output, JsonObject cluster, TimeProvider clock)
    {
        FieldList.Write(output, ("cluster", cluster["name"].AsString()), ("account", cluster["account"].AsString()));
        output.WriteLine();
        TableRenderer.Write(output, ["server group", "status", "instances", "capacity", "version", "created"],
            (cluster["serverGroups"] as JsonArray ?? []).OfType<JsonObject>().Select(g => new[]
            {
                g["name"].AsString(),
                g["isDisabled"].AsBool() == true ? "disabled" : "enabled",
                $"{Number(g["instanceCounts"]?["up"])}/{Number(g["instanceCounts"]?["total"])} up",
                $"{Number(g["capacity"]?["min"])}/{Number(g["capacity"]?["desired"])}/{Number(g["capacity"]?["max"])}",
                g["artifact"]?["version"].AsString(),
                Display.Time(g["createdTime"].AsLong(), clock),
            }));
        var loadBalancers = (cluster["loadBalancers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (loadBalancers.Count == 0)
        {
            return;
        }

        output.WriteLine();
        TableRenderer.Write(output, ["load balancer", "url", "server group", "weight", "traffic", "routing"],
            loadBalancers.SelectMany(lb => Targets(lb).Select(t => new[]
            {
                lb["name"].AsString(),
                lb["url"].AsString(),
                t?["serverGroup"].AsString(),
                t is null ? null : Number(t["weight"]),
                t?["percent"].AsDouble() is { } percent ? $"{percent.ToString("0.#", CultureInfo.InvariantCulture)}%" : null,
                t is null ? null : Routing(t),
            })));
    }

    /// <summary>Each target of a load balancer, or one empty row for a load balancer without targets.</summary>
    private static IEnumerable<JsonObject?> Targets(JsonObject loadBalancer) =>
        (loadBalancer["targets"] as JsonArray ?? []).OfType<JsonObject>().DefaultIfEmpty();

    /// <summary>Why a target gets its share, in words; the server's <c>routing</c> field (absent from older servers: blank).</summary>
    private static string? Routing(JsonObject target) => target["routing"].AsString() switch
    {
        "routed" => $"routed to {Number(target["upInstances"])} Up",
        "disabled" => "disabled",
        "noUpInstances" => "no Up instance",
        "zeroWeight" => "weight 0",
        "serverGroupMissing" => "server group missing",
        var other => other,
    };

    private static string Number(JsonNode? node) => node.AsLong()?.ToString(CultureInfo.InvariantCulture) ?? "?";
}

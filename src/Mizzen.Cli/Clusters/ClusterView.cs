using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Cli.Output;
using Mizzen.Core.Json;

namespace Mizzen.Cli.Clusters;

/// <summary>A cluster as tables: server groups (status, instances up/total, capacity, version, created), then load balancers.</summary>
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
        TableRenderer.Write(output, ["load balancer", "url", "targets"], loadBalancers.Select(lb => new[]
        {
            lb["name"].AsString(),
            lb["url"].AsString(),
            string.Join(", ", (lb["targets"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(t => $"{t["serverGroup"].AsString()}={Number(t["weight"])}")),
        }));
    }

    private static string Number(JsonNode? node) => node.AsLong()?.ToString(CultureInfo.InvariantCulture) ?? "?";
}

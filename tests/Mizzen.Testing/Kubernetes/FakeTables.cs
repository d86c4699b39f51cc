using System.Globalization;
using System.Text.Json.Nodes;

namespace Mizzen.Testing.Kubernetes;

/// <summary>
/// The <c>meta.k8s.io/v1 Table</c> a server answers when a client asks for <c>as=Table</c> (kubectl get without -o):
/// Name and Age for every kind, and the columns kubectl users know for pods (Ready, Status, Restarts) and Deployments
/// (Ready, Up-to-date, Available). Row objects follow <c>includeObject</c> (Object, Metadata by default, None).
/// </summary>
internal static class FakeTables
{
    public static JsonObject Table(FakeResourceType type, IEnumerable<JsonObject> items, long revision, string includeObject, DateTimeOffset now)
    {
        var columns = new List<(string Name, string Type)> { ("Name", "string") };
        columns.AddRange(type.Kind switch
        {
            "Pod" => [("Ready", "string"), ("Status", "string"), ("Restarts", "string")],
            "Deployment" => [("Ready", "string"), ("Up-to-date", "integer"), ("Available", "integer")],
            "ReplicaSet" => [("Desired", "integer"), ("Current", "integer"), ("Ready", "integer")],
            "Service" => [("Type", "string"), ("Cluster-IP", "string"), ("External-IP", "string"), ("Port(s)", "string")],
            _ => [],
        });
        columns.Add(("Age", "string"));
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var cells = new JsonArray(FakeObjectStore.Name(item));
            foreach (var cell in Cells(type.Kind, item))
            {
                cells.Add(cell);
            }

            cells.Add(Age(item["metadata"]?["creationTimestamp"]?.GetValue<string>(), now));
            var row = new JsonObject { ["cells"] = cells };
            switch (includeObject)
            {
                case "None":
                    break;
                case "Object":
                    row["object"] = item.DeepClone();
                    break;
                default:
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = item["metadata"]?.DeepClone(),
                    };
                    break;
            }

            rows.Add(row);
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = new JsonArray([.. columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Name == "Name" ? "name" : "",
                ["description"] = c.Name,
                ["priority"] = 0,
            })]),
            ["rows"] = rows,
        };
    }

    private static int N(JsonNode? node) => (int)FakeObjectStore.Number(node);

    private static string Age(string? created, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return "<unknown>";
        }

        var age = now - at;
        return age.TotalSeconds < 120 ? $"{Math.Max(0, (int)age.TotalSeconds)}s"
            : age.TotalMinutes < 60 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }

    private static IEnumerable<JsonNode?> Cells(string kind, JsonObject item)
    {
        var status = item["status"];
        switch (kind)
        {
            case "Pod":
                {
                    var statuses = (status?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                    var containers = (item["spec"]?["containers"] as JsonArray)?.Count ?? 0;
                    var ready = statuses.Count(s => s["ready"]?.GetValue<bool>() == true);
                    var reason = statuses.Select(s => s["state"]?["waiting"]?["reason"]?.GetValue<string>()).FirstOrDefault(r => r is not null)
                        ?? status?["phase"]?.GetValue<string>() ?? "Pending";
                    var restarts = statuses.Sum(s => N(s["restartCount"]));
                    return [$"{ready}/{containers}", reason, restarts.ToString(CultureInfo.InvariantCulture)];
                }

            case "Deployment":
                return
                [
                    $"{N(status?["readyReplicas"])}/{N(item["spec"]?["replicas"])}",
                    N(status?["updatedReplicas"]),
                    N(status?["availableReplicas"]),
                ];
            case "ReplicaSet":
                return
                [
                    N(item["spec"]?["replicas"]),
                    N(status?["replicas"]),
                    N(status?["readyReplicas"]),
                ];
            case "Service":
                {
                    var spec = item["spec"];
                    var ports = (spec?["ports"] as JsonArray ?? []).Select(p => $"{p?["port"]}/{p?["protocol"] ?? "TCP"}");
                    return
                    [
                        spec?["type"]?.GetValue<string>() ?? "ClusterIP",
                        spec?["clusterIP"]?.GetValue<string>() ?? "<none>",
                        "<none>",
                        string.Join(",", ports) is { Length: > 0 } joined ? joined : "<none>",
                    ];
                }

            default:
                return [];
        }
    }
}

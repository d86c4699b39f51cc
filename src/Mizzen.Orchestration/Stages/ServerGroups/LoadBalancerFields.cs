using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;

namespace Mizzen.Orchestration.Stages.ServerGroups;

/// <summary>Fields of the load-balancer stages: the name and the weighted targets.</summary>
public static class LoadBalancerFields
{
    public static string? Name(JsonObject context) =>
        CloudStageContext.NonEmpty(context["name"].AsString())
        ?? CloudStageContext.NonEmpty(context["loadBalancerName"].AsString())
        ?? CloudStageContext.NonEmpty(context["loadBalancer"].AsString());

    public static JsonObject ToJson(LoadBalancerSummary summary) => new()
    {
        ["name"] = summary.Name,
        ["account"] = summary.Account,
        ["port"] = summary.Port,
        ["url"] = summary.Url.ToString(),
        ["targets"] = new JsonArray(summary.Targets.Select(t => (JsonNode)new JsonObject { ["serverGroup"] = t.ServerGroup, ["weight"] = t.Weight }).ToArray()),
    };
}

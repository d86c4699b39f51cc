using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;

namespace Mizzen.Orchestration.Stages.ServerGroups;

/// <summary>Fields of the load-balancer stages: the name and the weighted targets.</summary>
public static class LoadBalancerFields
{
    /// <summary>
    /// The load balancer's name: <c>loadBalancerName</c>, <c>loadBalancer</c>, or Spinnaker's <c>loadBalancers[0].name</c>.
    /// A stage's own <c>name</c> is its display name (the engine takes it out of the context), never the load balancer's.
    /// </summary>
    public static string? Name(JsonObject context) =>
        CloudStageContext.NonEmpty(context["loadBalancerName"].AsString())
        ?? CloudStageContext.NonEmpty(context["loadBalancer"].AsString())
        ?? CloudStageContext.NonEmpty((context["loadBalancers"] as JsonArray)?.FirstOrDefault()?["name"].AsString());

    public static JsonObject ToJson(LoadBalancerSummary summary) => new()
    {
        ["name"] = summary.Name,
        ["account"] = summary.Account,
        ["port"] = summary.Port,
        ["url"] = summary.Url.ToString(),
        ["targets"] = new JsonArray(summary.Targets.Select(t => (JsonNode)new JsonObject { ["serverGroup"] = t.ServerGroup, ["weight"] = t.Weight }).ToArray()),
    };
}

using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;

namespace Mizzen.Orchestration.Stages.CreateServerGroup;

/// <summary>
/// Rolling red/black: the new server group starts at 0, disabled. For each of <c>targetPercentages</c> (100 added when missing) it
/// grows to that share of <c>savedCapacity</c> (and waits healthy), is enabled on the first step, runs <c>pipelineBeforeCleanup</c>
/// (<c>{application, pipelineId, pipelineParameters}</c>) when given, and the source shrinks to the rest. Finally the source is disabled.
/// </summary>
public static class RollingRedBlackStages
{
    public static void Build(JsonObject context, JsonObject common, string deployed, JsonObject? source, StageGraph graph)
    {
        var desired = Capacity.FromJson(context["savedCapacity"])?.Desired ?? 1;
        var sourceName = source?["serverGroupName"].AsString();
        var sourceDesired = Capacity.FromJson(source?["capacity"])?.Desired ?? 0;
        var first = true;
        foreach (var pct in Percentages(context))
        {
            var grow = Target(common, deployed);
            grow["action"] = "scale_exact";
            grow["capacity"] = Capacity.Exactly((int)Math.Ceiling(desired * pct / 100.0)).ToJson();
            graph.Append("resizeServerGroup", $"Grow to {DeployStrategies.Percent(pct)}% of Desired Size", grow);
            if (first)
            {
                graph.Append("enableServerGroup", $"Enable {deployed}", Target(common, deployed));
                first = false;
            }

            if (context["pipelineBeforeCleanup"] is JsonObject validation && validation["pipelineId"] is not null)
            {
                graph.Append("pipeline", $"Validate at {DeployStrategies.Percent(pct)}%", new JsonObject
                {
                    ["application"] = validation["application"]?.DeepClone() ?? context["application"]?.DeepClone(),
                    ["pipeline"] = validation["pipelineId"]!.DeepClone(),
                    ["pipelineParameters"] = validation["pipelineParameters"]?.DeepClone() ?? new JsonObject(),
                });
            }

            if (sourceName is not null && sourceDesired > 0)
            {
                var shrink = Target(common, sourceName);
                shrink["action"] = "scale_exact";
                shrink["capacity"] = Capacity.Exactly((int)Math.Floor(sourceDesired * (100 - pct) / 100.0)).ToJson();
                graph.Append("resizeServerGroup", $"Shrink {sourceName} to {DeployStrategies.Percent(100 - pct)}%", shrink);
            }
        }

        if (sourceName is not null)
        {
            graph.Append("disableServerGroup", $"Disable {sourceName}", Target(common, sourceName));
        }
    }

    private static List<double> Percentages(JsonObject context)
    {
        var list = context["targetPercentages"] is JsonArray given
            ? given.Select(p => p.AsDouble() ?? 0).Where(p => p is > 0 and <= 100).Distinct().Order().ToList()
            : [];
        if (list.Count == 0 || list[^1] < 100)
        {
            list.Add(100);
        }

        return list;
    }

    private static JsonObject Target(JsonObject common, string serverGroup)
    {
        var context = (JsonObject)common.DeepClone();
        context["serverGroupName"] = serverGroup;
        return context;
    }
}

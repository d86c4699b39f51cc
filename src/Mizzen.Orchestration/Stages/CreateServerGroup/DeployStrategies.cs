using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.CreateServerGroup;

/// <summary>
/// The after stages of a createServerGroup, chosen by <c>strategy</c> once the new server group is healthy (Orca's deploy strategies):
/// <c>none</c> (default) nothing; <c>redblack</c> shrink → wait → disable the others → scale them down; <c>highlander</c> destroy the
/// others; <c>rollingredblack</c> grow step by step; <c>custom</c> run a strategy pipeline.
/// </summary>
public static class DeployStrategies
{
    public const string None = "none";
    public const string RedBlack = "redblack";
    public const string Highlander = "highlander";
    public const string RollingRedBlack = "rollingredblack";
    public const string Custom = "custom";

    public static readonly IReadOnlyList<string> Known = [None, "", RedBlack, Highlander, RollingRedBlack, Custom];

    public static string Of(JsonObject context) => (context["strategy"].AsString() ?? None).ToLowerInvariant() switch
    {
        "" => None,
        var s => s,
    };

    public static void Build(PipelineExecution execution, StageExecution parent, StageGraph graph)
    {
        var context = parent.Context;
        if (ServerGroupContextKeys.FirstDeployed(context) is not { } deployed)
        {
            return;
        }

        var source = context[DetermineSourceServerGroupTask.SourceKey] as JsonObject;
        var cluster = context["cluster"].AsString() ?? "";
        switch (Of(context))
        {
            case RedBlack when source is not null:
                RedBlackStages(context, Base(context, deployed.Account, cluster), graph);
                break;
            case Highlander:
                var shrink = Base(context, deployed.Account, cluster);
                shrink["shrinkToSize"] = 1;
                shrink["allowDeleteActive"] = true;
                shrink["retainLargerOverNewer"] = false;
                graph.Append("shrinkCluster", "shrinkCluster", shrink);
                break;
            case RollingRedBlack:
                RollingRedBlackStages.Build(context, Base(context, deployed.Account, cluster), deployed.ServerGroup, source, graph);
                break;
            case Custom:
                graph.Append("pipeline", "Run strategy pipeline", CustomStrategy(execution, parent, deployed, source, cluster));
                break;
        }
    }

    /// <summary>The fields every generated stage needs: provider, account, application, cluster.</summary>
    public static JsonObject Base(JsonObject context, string account, string cluster) => new()
    {
        ["cloudProvider"] = context["cloudProvider"]?.DeepClone() ?? CloudProviderRegistry.DefaultProvider,
        ["account"] = account,
        ["credentials"] = account,
        ["application"] = context["application"]?.DeepClone(),
        ["cluster"] = cluster,
    };

    private static void RedBlackStages(JsonObject context, JsonObject common, StageGraph graph)
    {
        if (context["maxRemainingAsgs"].AsLong() is > 0 and var max)
        {
            var shrink = (JsonObject)common.DeepClone();
            shrink["shrinkToSize"] = max;
            shrink["allowDeleteActive"] = false;
            shrink["retainLargerOverNewer"] = false;
            graph.Append("shrinkCluster", "shrinkCluster", shrink);
        }

        if ((context["delayBeforeDisableSec"].AsDouble() ?? context["delayBeforeCleanup"].AsDouble()) is > 0 and var delay)
        {
            graph.Append("wait", "Wait Before Disable", new JsonObject { ["waitTime"] = delay });
        }

        var disable = (JsonObject)common.DeepClone();
        disable["remainingEnabledServerGroups"] = 1;
        disable["preferLargerOverNewer"] = false;
        graph.Append("disableCluster", "disableCluster", disable);

        if (context["scaleDown"].AsBoolOrFalse())
        {
            if (context["delayBeforeScaleDownSec"].AsDouble() is > 0 and var scaleDelay)
            {
                graph.Append("wait", "Wait Before Scale Down", new JsonObject { ["waitTime"] = scaleDelay });
            }

            var scaleDown = (JsonObject)common.DeepClone();
            scaleDown["remainingFullSizeServerGroups"] = 1;
            scaleDown["allowScaleDownActive"] = false;
            scaleDown["preferLargerOverNewer"] = false;
            graph.Append("scaleDownCluster", "scaleDownCluster", scaleDown);
        }
    }

    private static JsonObject CustomStrategy(
        PipelineExecution execution, StageExecution parent, (string Account, string ServerGroup) deployed, JsonObject? source, string cluster)
    {
        var context = parent.Context;
        var parameters = context["pipelineParameters"] is JsonObject given ? (JsonObject)given.DeepClone() : [];
        parameters["application"] = context["application"]?.DeepClone();
        parameters["credentials"] = deployed.Account;
        parameters["account"] = deployed.Account;
        parameters["cluster"] = cluster;
        parameters["cloudProvider"] = context["cloudProvider"]?.DeepClone() ?? CloudProviderRegistry.DefaultProvider;
        parameters["strategy"] = true;
        parameters["parentPipelineId"] = execution.Id;
        parameters["parentStageId"] = parent.Id;
        parameters["deployedServerGroup"] = deployed.ServerGroup;
        parameters["sourceServerGroup"] = source?["serverGroupName"]?.DeepClone();
        return new JsonObject
        {
            ["application"] = context["strategyApplication"]?.DeepClone() ?? context["application"]?.DeepClone(),
            ["pipeline"] = context["strategyPipeline"]?.DeepClone(),
            ["pipelineParameters"] = parameters,
        };
    }

    public static string Percent(double pct) => pct.ToString("0.##", CultureInfo.InvariantCulture);
}

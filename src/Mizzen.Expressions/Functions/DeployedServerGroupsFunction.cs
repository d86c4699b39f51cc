using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Functions;

/// <summary>
/// <c>#deployedServerGroups(idsOrNames...)</c> (and the bare word <c>deployedServerGroups</c>): for each SUCCEEDED deploy-like
/// stage with <c>deploy.server.groups</c>, one entry per region with account, capacity, parentStage, region, serverGroup,
/// deployments, plus the bake's <c>deploymentDetails</c> entry for that region (ami, imageId ...).
/// </summary>
internal static class DeployedServerGroupsFunction
{
    private static readonly string[] DeployTypes = ["deploy", "createServerGroup", "cloneServerGroup", "rollingPush"];

    public static void Register(ExpressionFunctionRegistry registry) =>
        registry.Add("deployedServerGroups", Invoke, executionAware: true);

    private static object? Invoke(object?[] args, EvaluationState state)
    {
        var execution = FunctionArguments.Execution(state, "#deployedServerGroups(idsOrNames...)");
        var wanted = args.Select(JavaText.ToJavaString).ToHashSet(StringComparer.Ordinal);
        var result = new ValueList();
        foreach (var stage in execution.Stages)
        {
            if (stage.Status != ExecutionStatus.Succeeded || !DeployTypes.Contains(stage.Type)
                || (wanted.Count > 0 && !wanted.Contains(stage.Name) && !wanted.Contains(stage.Id))
                || stage.Context["deploy.server.groups"] is not JsonObject groups)
            {
                continue;
            }

            foreach (var (region, serverGroups) in groups)
            {
                result.Add(Entry(execution, stage, region, serverGroups as JsonArray));
            }
        }

        return result;
    }

    private static ValueMap Entry(PipelineExecution execution, StageExecution stage, string region, JsonArray? serverGroups)
    {
        var entry = new ValueMap
        {
            ["account"] = JsonValues.FromNode(stage.Context["deploy.account.name"]),
            ["capacity"] = JsonValues.FromNode(stage.Context["capacity"]),
            ["parentStage"] = stage.ParentStageId,
            ["region"] = region,
            ["serverGroup"] = serverGroups is { Count: > 0 } ? JsonValues.FromNode(serverGroups[0]) : null,
            ["deployments"] = Deployments(stage),
        };
        if (execution.ResolveContextValue(stage, "deploymentDetails") is JsonArray details)
        {
            var match = details.OfType<JsonObject>().FirstOrDefault(d => d["region"].AsString() == region);
            foreach (var (key, value) in match ?? [])
            {
                entry[key] = JsonValues.FromNode(value);
            }
        }

        return entry;
    }

    private static ValueList Deployments(StageExecution stage)
    {
        var deployments = new ValueList();
        foreach (var task in stage.Context["kato.tasks"] as JsonArray ?? [])
        {
            foreach (var resultObject in task?["resultObjects"] as JsonArray ?? [])
            {
                if (resultObject?["deployments"] is JsonArray list)
                {
                    deployments.AddRange(list.Select(JsonValues.FromNode));
                }
            }
        }

        return deployments;
    }
}

using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.ResizeServerGroup;

/// <summary>
/// <c>resizeServerGroup</c>: target fields as destroyServerGroup, plus <c>action</c> (<c>scale_exact</c> (default) with
/// <c>capacity{min,max,desired}</c>; <c>scale_up</c>/<c>scale_down</c> by <c>scaleNum</c> instances or <c>scalePct</c> percent;
/// <c>scale_to_cluster</c>: the largest desired capacity in the cluster). A smaller size asks the traffic guard first.
/// Then waits until the server group has exactly the new size, all healthy (stageTimeoutMs bounds the wait).
/// </summary>
public sealed class ResizeServerGroupStage : IStageDefinition
{
    public const string StageType = "resizeServerGroup";

    public static readonly IReadOnlyList<string> Actions = ["scale_exact", "scale_up", "scale_down", "scale_to_cluster"];

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) =>
        tasks.Add<DetermineTargetServerGroupTask>("determineTargetServerGroup")
            .Add<ResizeServerGroupTask>("resizeServerGroup")
            .Add<WaitForCapacityTask>("waitForCapacityMatch");

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        foreach (var problem in TargetStageValidation.Target(stageConfig, path, StageType))
        {
            yield return problem;
        }

        var action = stageConfig["action"].AsString() ?? "scale_exact";
        if (StageConfigChecks.IsExpression(stageConfig["action"]))
        {
            yield break;
        }

        if (!Actions.Contains(action))
        {
            yield return new ValidationProblem($"{path}.action", $"unknown action '{action}' (one of: {string.Join(", ", Actions)})");
        }
        else if (action == "scale_exact" && stageConfig["capacity"] is not JsonObject && !StageConfigChecks.IsExpression(stageConfig["capacity"]))
        {
            yield return new ValidationProblem($"{path}.capacity", "required for a 'resizeServerGroup' stage with action scale_exact: {\"min\", \"max\", \"desired\"}");
        }
        else if (action is "scale_up" or "scale_down" && StageConfigChecks.IsMissing(stageConfig["scalePct"]) && StageConfigChecks.IsMissing(stageConfig["scaleNum"]))
        {
            yield return new ValidationProblem($"{path}.scaleNum", $"'scaleNum' or 'scalePct' is required for a 'resizeServerGroup' stage with action {action}");
        }
    }
}

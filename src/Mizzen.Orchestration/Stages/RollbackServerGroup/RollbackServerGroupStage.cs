using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.CreateServerGroup;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.RollbackServerGroup;

/// <summary>
/// <c>rollbackServerGroup</c>: <c>account</c>/<c>credentials</c>, <c>rollbackType</c> <c>EXPLICIT</c> (with
/// <c>rollbackContext{rollbackServerGroupName, restoreServerGroupName, delayBeforeDisableSeconds}</c>) or <c>PREVIOUS</c> (also
/// <c>PREVIOUS_IMAGE</c>; with <c>cluster</c>: roll back the newest server group to the one before it). One-click rollback: the restore
/// server group is resized to the rolled-back one's capacity and waited healthy, enabled, then the rolled-back one is disabled.
/// </summary>
public sealed class RollbackServerGroupStage : IStageDefinition
{
    public const string StageType = "rollbackServerGroup";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<DetermineRollbackCandidatesTask>("determineRollbackCandidates");

    public void BuildAfterStages(PipelineExecution execution, StageExecution parent, StageGraph graph)
    {
        var rollback = parent.Context["rollbackContext"] as JsonObject;
        var rollbackName = rollback?["rollbackServerGroupName"].AsString();
        var restoreName = rollback?["restoreServerGroupName"].AsString();
        var account = CloudStageContext.Account(parent.Context);
        if (rollbackName is null || restoreName is null || account is null)
        {
            return;
        }

        var common = DeployStrategies.Base(parent.Context, account, parent.Context["cluster"].AsString() ?? "");
        var resize = Target(common, restoreName);
        resize["action"] = "scale_exact";
        resize["capacity"] = parent.Context["restoreCapacity"]?.DeepClone() ?? Capacity.Exactly(1).ToJson();
        graph.Append("resizeServerGroup", $"Resize {restoreName}", resize);
        graph.Append("enableServerGroup", $"Enable {restoreName}", Target(common, restoreName));
        if (rollback?["delayBeforeDisableSeconds"].AsDouble() is > 0 and var delay)
        {
            graph.Append("wait", "Wait Before Disable", new JsonObject { ["waitTime"] = delay });
        }

        graph.Append("disableServerGroup", $"Disable {rollbackName}", Target(common, rollbackName));
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        foreach (var problem in TargetStageValidation.Account(stageConfig, path, StageType))
        {
            yield return problem;
        }

        var type = (stageConfig["rollbackType"].AsString() ?? "EXPLICIT").ToUpperInvariant();
        if (type == "EXPLICIT")
        {
            foreach (var field in new[] { "rollbackServerGroupName", "restoreServerGroupName" })
            {
                if (StageConfigChecks.IsMissing(stageConfig["rollbackContext"]?[field]))
                {
                    yield return new ValidationProblem($"{path}.rollbackContext.{field}", "required for an EXPLICIT rollback");
                }
            }
        }
        else if (type is "PREVIOUS" or "PREVIOUS_IMAGE")
        {
            if (CloudStageContext.Cluster(stageConfig) is null)
            {
                yield return new ValidationProblem($"{path}.cluster", $"required for a {type} rollback");
            }
        }
        else
        {
            yield return new ValidationProblem($"{path}.rollbackType", $"unknown rollbackType '{type}' (EXPLICIT or PREVIOUS)");
        }
    }

    private static JsonObject Target(JsonObject common, string serverGroup)
    {
        var context = (JsonObject)common.DeepClone();
        context["serverGroupName"] = serverGroup;
        return context;
    }
}

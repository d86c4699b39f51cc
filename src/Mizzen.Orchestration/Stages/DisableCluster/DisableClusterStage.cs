using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.DisableCluster;

/// <summary>
/// <c>disableCluster</c>: <c>cluster</c>, <c>account</c>/<c>credentials</c>, <c>remainingEnabledServerGroups</c> (default 1),
/// <c>preferLargerOverNewer</c> (default false). Disables every enabled server group past the first
/// <c>remainingEnabledServerGroups</c> enabled ones (newest first), each after the traffic guard agrees.
/// </summary>
public sealed class DisableClusterStage : IStageDefinition
{
    public const string StageType = "disableCluster";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<DisableClusterTask>("disableCluster");

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path) =>
        TargetStageValidation.Cluster(stageConfig, path, StageType);
}

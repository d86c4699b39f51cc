using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.ScaleDownCluster;

/// <summary>
/// <c>scaleDownCluster</c>: <c>cluster</c>, <c>account</c>/<c>credentials</c>, <c>remainingFullSizeServerGroups</c> (default 1),
/// <c>allowScaleDownActive</c> (default false), <c>preferLargerOverNewer</c> (default false). Resizes to 0 every server group past the
/// first <c>remainingFullSizeServerGroups</c>; enabled ones only with <c>allowScaleDownActive</c>.
/// </summary>
public sealed class ScaleDownClusterStage : IStageDefinition
{
    public const string StageType = "scaleDownCluster";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<ScaleDownClusterTask>("scaleDownCluster");

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path) =>
        TargetStageValidation.Cluster(stageConfig, path, StageType);
}

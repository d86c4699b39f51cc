using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.ShrinkCluster;

/// <summary>
/// <c>shrinkCluster</c>: <c>cluster</c>, <c>account</c>/<c>credentials</c>, <c>shrinkToSize</c> (default 1: server groups kept),
/// <c>allowDeleteActive</c> (default false: enabled server groups are never destroyed), <c>retainLargerOverNewer</c> (default false).
/// Destroys the server groups beyond the first <c>shrinkToSize</c> (newest first, or largest first).
/// </summary>
public sealed class ShrinkClusterStage : IStageDefinition
{
    public const string StageType = "shrinkCluster";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<ShrinkClusterTask>("shrinkCluster");

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path) =>
        TargetStageValidation.Cluster(stageConfig, path, StageType);
}

using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.DisableServerGroup;

/// <summary>
/// <c>disableServerGroup</c>: same target fields as destroyServerGroup. Asks the traffic guard, then stops new traffic to the
/// server group (in-flight requests finish); its instances keep running.
/// </summary>
public sealed class DisableServerGroupStage : IStageDefinition
{
    public const string StageType = "disableServerGroup";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) =>
        tasks.Add<DetermineTargetServerGroupTask>("determineTargetServerGroup")
            .Add<DisableServerGroupTask>("disableServerGroup");

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path) =>
        TargetStageValidation.Target(stageConfig, path, StageType);
}

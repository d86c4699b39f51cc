using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.EnableServerGroup;

/// <summary><c>enableServerGroup</c>: same target fields as destroyServerGroup; routes traffic to the server group again.</summary>
public sealed class EnableServerGroupStage : IStageDefinition
{
    public const string StageType = "enableServerGroup";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) =>
        tasks.Add<DetermineTargetServerGroupTask>("determineTargetServerGroup")
            .Add<EnableServerGroupTask>("enableServerGroup");

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path) =>
        TargetStageValidation.Target(stageConfig, path, StageType);
}

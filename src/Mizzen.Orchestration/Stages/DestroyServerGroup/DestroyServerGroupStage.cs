using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.DestroyServerGroup;

/// <summary>
/// <c>destroyServerGroup</c>: <c>cloudProvider</c>, <c>account</c>/<c>credentials</c>, and <c>serverGroupName</c> (or <c>asgName</c>) or
/// <c>cluster</c> + <c>target</c>. Asks the traffic guard, then disables, drains and removes the server group.
/// Writes <c>serverGroupName</c> and <c>deploy.server.groups</c> into its context.
/// </summary>
public sealed class DestroyServerGroupStage : IStageDefinition
{
    public const string StageType = "destroyServerGroup";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) =>
        tasks.Add<DetermineTargetServerGroupTask>("determineTargetServerGroup")
            .Add<DestroyServerGroupTask>("destroyServerGroup");

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path) =>
        TargetStageValidation.Target(stageConfig, path, StageType);
}

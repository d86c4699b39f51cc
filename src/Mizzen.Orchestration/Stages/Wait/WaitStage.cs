using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Stages.Wait;

/// <summary>
/// <c>wait</c>: waits <c>waitTime</c> seconds (a number or an expression) from the stage's start.
/// <c>skipRemainingWait: true</c> (set through the stage PATCH API) makes it finish now.
/// </summary>
public sealed class WaitStage : IStageDefinition
{
    public const string StageType = "wait";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<WaitTask>("wait");

    /// <summary>A restarted wait waits again (Orca keeps the flag; a restart that finishes at once surprises users).</summary>
    public void PrepareForRestart(StageExecution stage) => stage.Context.Remove(WaitTask.SkipRemainingWaitKey);

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path) =>
        StageConfigChecks.RequireSeconds(stageConfig, path, WaitTask.WaitTimeKey, StageType);
}

using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Stages.CheckPreconditions;

/// <summary>
/// <c>checkPrecondition</c>: the synthetic stage <see cref="CheckPreconditionsStage"/> plans for each entry.
/// (Orca reuses the <c>checkPreconditions</c> type with a <c>preconditionType</c> key; a type of its own keeps the
/// parent free of tasks without checking "am I top-level?".)
/// </summary>
public sealed class CheckPreconditionStage : IStageDefinition
{
    public const string StageType = "checkPrecondition";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<CheckPreconditionTask>("checkPrecondition");
}

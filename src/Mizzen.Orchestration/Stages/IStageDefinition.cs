using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Stages;

/// <summary>
/// A stage type (Orca's StageDefinitionBuilder): the tasks it runs and the synthetic stages it adds.
/// Registered in DI as <see cref="IStageDefinition"/>; the <see cref="StageCatalog"/> finds it by <see cref="Type"/> or an alias.
/// </summary>
public interface IStageDefinition
{
    /// <summary>The stage <c>type</c> on the wire, e.g. <c>wait</c>, <c>manualJudgment</c>, <c>deploy</c>.</summary>
    string Type { get; }

    IReadOnlyList<string> Aliases => [];

    /// <summary>Context keys the engine leaves unevaluated because the stage's tasks evaluate them themselves (e.g. evaluateVariables' <c>variables</c>).</summary>
    IReadOnlyCollection<string> UnevaluatedContextKeys => [];

    /// <summary>Adds the stage's tasks in order. A stage with no tasks only runs its synthetic stages.</summary>
    void BuildTasks(StageExecution stage, TaskGraph tasks);

    /// <summary>Synthetic stages that run before the stage's tasks (planned when the stage starts).</summary>
    void BuildBeforeStages(PipelineExecution execution, StageExecution parent, StageGraph graph)
    {
    }

    /// <summary>Synthetic stages that run after the stage's tasks (planned when its tasks finish).</summary>
    void BuildAfterStages(PipelineExecution execution, StageExecution parent, StageGraph graph)
    {
    }

    /// <summary>Stages that run when the stage fails (a rollback, a cleanup); they run in a chain, then the stage stays failed.</summary>
    void BuildOnFailureStages(PipelineExecution execution, StageExecution stage, StageGraph graph)
    {
    }

    /// <summary>Clears what a restart must not see again (e.g. a judgment).</summary>
    void PrepareForRestart(StageExecution stage)
    {
    }

    bool CanManuallySkip(StageExecution stage) => false;

    /// <summary>Called when a running (or halted) stage of this type is cancelled: stop external work (child run, job ...).</summary>
    Task CancelAsync(PipelineExecution execution, StageExecution stage, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Checks a stage's config when a pipeline is saved or validated; <paramref name="path"/> is e.g. <c>stages[3]</c>.</summary>
    IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path) => [];
}

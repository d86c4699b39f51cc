using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Tests.Engine;

/// <summary>
/// Stage types that exist only in these tests, to drive the engine through every path: they succeed, fail, run for a
/// while (by the test clock), throw, add synthetic stages. Registered by <see cref="EngineHarness"/>.
/// </summary>
internal sealed class NoopStage : IStageDefinition
{
    public string Type => "test.noop";

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<NoopTask>("noop");
}

internal sealed class NoopTask : ITask
{
    public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) =>
        Task.FromResult(TaskResult.Succeeded(outputs: new JsonObject { [context.Stage.Name + "Done"] = true }));
}

internal sealed class FailStage : IStageDefinition
{
    public string Type => "test.fail";

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<FailTask>("fail");
}

internal sealed class FailTask : ITask
{
    public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) =>
        Task.FromResult(TaskResult.Terminal($"stage {context.Stage.Name} failed on purpose"));
}

/// <summary>RUNNING until <c>durationMs</c> (test clock) has passed since the stage started.</summary>
internal sealed class SlowStage : IStageDefinition
{
    public string Type => "test.slow";

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<SlowTask>("slow");

    public bool CanManuallySkip(StageExecution stage) => true;
}

internal sealed class SlowTask : ITask
{
    public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var duration = context.Context["durationMs"].AsLong() ?? 60_000;
        return Task.FromResult(context.NowMs - context.Stage.StartTime!.Value >= duration
            ? TaskResult.Succeeded()
            : TaskResult.Running());
    }

    public TimeSpan Backoff(TaskContext context) => TimeSpan.FromSeconds(1);
}

internal sealed class ThrowingStage : IStageDefinition
{
    public string Type => "test.throw";

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<ThrowingTask>("throw");
}

internal sealed class ThrowingTask : ITask
{
    public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the task threw");
}

/// <summary>Two before stages in a chain, its own task, one after stage.</summary>
internal sealed class SyntheticStage : IStageDefinition
{
    public string Type => "test.synthetic";

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<NoopTask>("main");

    public void BuildBeforeStages(PipelineExecution execution, StageExecution parent, StageGraph graph)
    {
        graph.Append("test.noop", "before1", []);
        graph.Append("test.noop", "before2", []);
    }

    public void BuildAfterStages(PipelineExecution execution, StageExecution parent, StageGraph graph) =>
        graph.Append("test.noop", "after1", []);
}

/// <summary>Fails, then runs a "rollback" stage; the stage stays failed.</summary>
internal sealed class FailWithRollbackStage : IStageDefinition
{
    public string Type => "test.failWithRollback";

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<FailTask>("fail");

    public void BuildOnFailureStages(PipelineExecution execution, StageExecution stage, StageGraph graph) =>
        graph.Append("test.noop", "rollback", []);
}

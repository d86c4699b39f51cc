using Mizzen.Orchestration.Tasks;

namespace Mizzen.Engine.Benchmarks.NoopStage;

/// <summary>Returns SUCCEEDED without doing anything.</summary>
internal sealed class BenchNoopTask : ITask
{
    private static readonly Task<TaskResult> Done = Task.FromResult(TaskResult.Succeeded());

    public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) => Done;
}

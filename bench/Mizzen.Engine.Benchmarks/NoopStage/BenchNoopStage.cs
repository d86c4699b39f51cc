using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;

namespace Mizzen.Engine.Benchmarks.NoopStage;

/// <summary><c>bench.noop</c>: one task that succeeds at once, so a run measures only the engine and the store.</summary>
internal sealed class BenchNoopStage : IStageDefinition
{
    public const string TypeName = "bench.noop";

    public string Type => TypeName;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<BenchNoopTask>("noop");
}

using BenchmarkDotNet.Attributes;
using Mizzen.Core.Model;
using Mizzen.Engine.Benchmarks.NoopStage;
using Mizzen.Persistence.Executions;

namespace Mizzen.Engine.Benchmarks.Micro;

/// <summary>
/// The JSON work every engine message repeats on its run: deserializing the stored rows at load, and serializing every
/// row again at commit to find what changed. Run with <c>--micro --filter *Serializer*</c>.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ExecutionSerializerBenchmarks
{
    private PipelineExecution run = new();
    private string header = "";
    private string[] stages = [];

    [Params(10, 50)]
    public int Stages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        run = new PipelineExecution { Id = "01JBENCH0000000000000000000", Application = "app", Name = "bench", Status = ExecutionStatus.Running, BuildTime = 1 };
        for (var i = 0; i < Stages; i++)
        {
            run.Stages.Add(new StageExecution
            {
                Id = $"01JSTAGE{i:000000000000000000}", RefId = $"{i + 1}", Type = BenchNoopStage.TypeName, Name = $"noop {i + 1}",
                Status = ExecutionStatus.Succeeded, StartTime = 10, EndTime = 12, RequisiteStageRefIds = i == 0 ? [] : [$"{i}"],
                Tasks = [new TaskExecution { Id = "1", Name = "noop", ImplementingClass = typeof(BenchNoopTask).FullName!, Status = ExecutionStatus.Succeeded, StageStart = true, StageEnd = true }],
            });
        }

        header = ExecutionSerializer.SerializeHeader(run);
        stages = [.. run.Stages.Select(ExecutionSerializer.SerializeStage)];
    }

    [Benchmark(Description = "load: deserialize header + stages")]
    public PipelineExecution Load()
    {
        var copy = ExecutionSerializer.DeserializeHeader(header);
        foreach (var stage in stages)
        {
            copy.Stages.Add(ExecutionSerializer.DeserializeStage(stage));
        }

        return copy;
    }

    [Benchmark(Description = "commit diff: serialize header + stages")]
    public int Diff()
    {
        var length = ExecutionSerializer.SerializeHeader(run).Length;
        foreach (var stage in run.Stages)
        {
            length += ExecutionSerializer.SerializeStage(stage).Length;
        }

        return length;
    }
}

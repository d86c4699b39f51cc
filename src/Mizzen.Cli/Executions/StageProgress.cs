using Mizzen.Cli.Output;
using Mizzen.Core.Model;

namespace Mizzen.Cli.Executions;

/// <summary>Prints <c>&lt;time&gt; &lt;stage name&gt; &lt;STATUS&gt;</c> for every stage whose status changed since the last snapshot.</summary>
internal sealed class StageProgress(TextWriter writer, TimeProvider clock)
{
    private readonly Dictionary<string, ExecutionStatus> seen = new(StringComparer.Ordinal);

    public void Observe(PipelineExecution execution)
    {
        foreach (var stage in execution.Stages)
        {
            var known = seen.TryGetValue(stage.Id, out var previous);
            seen[stage.Id] = stage.Status;
            if (known ? previous == stage.Status : stage.Status == ExecutionStatus.NotStarted)
            {
                continue;
            }

            var indent = new string(' ', 2 * Depth(execution, stage));
            writer.WriteLine($"{Display.ClockTime(When(stage), clock)} {indent}{stage.Name} {Display.Status(stage.Status)}");
        }
    }

    public void Finish(PipelineExecution execution)
    {
        var when = execution.EndTime ?? clock.GetUtcNow().ToUnixTimeMilliseconds();
        writer.WriteLine($"{Display.ClockTime(when, clock)} execution {execution.Id} {Display.Status(execution.Status)}");
    }

    private long When(StageExecution stage) => stage.Status switch
    {
        _ when stage.Status.IsComplete() && stage.EndTime is { } end => end,
        ExecutionStatus.Running when stage.StartTime is { } start => start,
        _ => clock.GetUtcNow().ToUnixTimeMilliseconds(),
    };

    private static int Depth(PipelineExecution execution, StageExecution stage)
    {
        var depth = 0;
        for (var current = execution.Parent(stage); current is not null && depth < 10; current = execution.Parent(current))
        {
            depth++;
        }

        return depth;
    }
}

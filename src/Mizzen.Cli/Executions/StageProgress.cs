using Mizzen.Cli.Output;
using Mizzen.Core.Model;

namespace Mizzen.Cli.Executions;

/// <summary>
/// What <c>--wait</c> prints while a run goes, one line per change (plain lines, fine for logs that are not a terminal):
/// <c>&lt;time&gt; &lt;stage name&gt; &lt;STATUS&gt;</c> for every stage whose status changed since the last snapshot; for a canary
/// stage, each time an interval is planned or judged, where it stands (<see cref="CanaryIntervalProgress"/>); and for a manual judgment
/// that waits, the commands that answer it (<see cref="JudgmentPrompt"/>), once.
/// </summary>
internal sealed class StageProgress(TextWriter writer, TimeProvider clock)
{
    private readonly Dictionary<string, ExecutionStatus> seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Planned, int Judged)> canaries = new(StringComparer.Ordinal);
    private readonly HashSet<(string StageId, long? Start)> prompted = [];

    public void Observe(PipelineExecution execution)
    {
        foreach (var stage in execution.Stages)
        {
            var indent = new string(' ', 2 * Depth(execution, stage));
            var known = seen.TryGetValue(stage.Id, out var previous);
            seen[stage.Id] = stage.Status;
            if (stage.Status.IsComplete())
            {
                ObserveCanary(stage, indent); // the last interval's score before the stage's final status
            }

            if (known ? previous != stage.Status : stage.Status != ExecutionStatus.NotStarted)
            {
                writer.WriteLine($"{Display.ClockTime(When(stage), clock)} {indent}{stage.Name} {Display.Status(stage.Status)}");
            }

            if (!stage.Status.IsComplete())
            {
                ObserveCanary(stage, indent);
            }

            if (JudgmentPrompt.IsWaiting(stage) && prompted.Add((stage.Id, stage.StartTime)))
            {
                writer.WriteLine($"{Now()} {indent}{stage.Name} waits for a judgment; answer it with:");
                JudgmentPrompt.Lines(execution, stage).ToList().ForEach(line => writer.WriteLine($"{indent}{line}"));
            }
        }
    }

    public void Finish(PipelineExecution execution)
    {
        var when = execution.EndTime ?? clock.GetUtcNow().ToUnixTimeMilliseconds();
        writer.WriteLine($"{Display.ClockTime(when, clock)} execution {execution.Id} {Display.Status(execution.Status)}");
    }

    /// <summary>A line when a canary's plan appears or an interval is judged (a restarted canary plans again and is shown again).</summary>
    private void ObserveCanary(StageExecution stage, string indent)
    {
        if (CanaryIntervalProgress.Position(stage) is not { } position)
        {
            canaries.Remove(stage.Id);
            return;
        }

        if (canaries.TryGetValue(stage.Id, out var last) && last == position)
        {
            return;
        }

        canaries[stage.Id] = position;
        writer.WriteLine($"{Now()} {indent}{stage.Name}: {CanaryIntervalProgress.Describe(stage, clock)}");
    }

    private string Now() => Display.ClockTime(clock.GetUtcNow().ToUnixTimeMilliseconds(), clock);

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

using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Stage and task timeouts as Orca computes them: time since start, minus time the execution spent paused, minus
/// the time a stage waited in its execution window. Returns the error to report, or null.
/// </summary>
public static class TaskTimeouts
{
    public static string? Check(PipelineExecution execution, StageExecution stage, TaskExecution task, ITask implementation, TaskContext context, long now)
    {
        if (stage.Type == StagePlanner.ExecutionWindowType)
        {
            return null;
        }

        var pausedNow = execution.PausedDurationMs(now);
        var timedStage = StageWithTimeout(execution, stage, out var stageTimeout);
        if (timedStage is { StartTime: { } stageStart })
        {
            var elapsed = now - stageStart - (pausedNow - (timedStage.PausedMsAtStart ?? 0)) - WindowDuration(execution, timedStage, now);
            if (elapsed > stageTimeout)
            {
                return $"Stage {timedStage.Name} timed out after {Words(elapsed)}";
            }
        }

        var taskTimeout = implementation.TimeoutOverridableByStage && timedStage is not null
            ? TimeSpan.FromMilliseconds(stageTimeout)
            : implementation.Timeout(context);
        if (taskTimeout is { } limit && task.StartTime is { } taskStart)
        {
            var elapsed = now - taskStart - (pausedNow - (task.PausedMsAtStart ?? 0));
            if (elapsed > limit.TotalMilliseconds)
            {
                return $"{task.Name} of stage {stage.Name} timed out after {Words(elapsed)} (timeout {Words((long)limit.TotalMilliseconds)}, paused {Words(pausedNow - (task.PausedMsAtStart ?? 0))})";
            }
        }

        return null;
    }

    private static StageExecution? StageWithTimeout(PipelineExecution execution, StageExecution stage, out long timeoutMs)
    {
        for (StageExecution? current = stage; current is not null; current = execution.Parent(current))
        {
            if (current.Context["stageTimeoutMs"].AsLong() is { } ms)
            {
                timeoutMs = ms;
                return current;
            }
        }

        timeoutMs = 0;
        return null;
    }

    private static long WindowDuration(PipelineExecution execution, StageExecution stage, long now) =>
        execution.Children(stage, SyntheticStageOwner.StageBefore)
            .Where(s => s.Type == StagePlanner.ExecutionWindowType && s.StartTime is not null)
            .Sum(s => (s.EndTime ?? now) - s.StartTime!.Value);

    public static string Words(long ms)
    {
        var span = TimeSpan.FromMilliseconds(Math.Max(0, ms));
        return span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes}m"
            : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds}s"
            : $"{span.TotalSeconds:0.###}s";
    }
}

using Mizzen.Core.Json;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.Webhook;

/// <summary>
/// <c>waitBeforeMonitor</c> seconds between the call and the first poll, counted from this task's start.
/// (Orca reuses the wait stage's task, which counts from the stage's start, so a slow webhook call ate into the wait.)
/// </summary>
public sealed class WaitBeforeMonitorTask : ITask
{
    public const string WaitBeforeMonitorKey = "waitBeforeMonitor";
    public const string StartKey = "waitBeforeMonitorStartTime";

    public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Context[WaitBeforeMonitorKey].AsDouble() ?? 0;
        var now = context.NowMs;
        var start = context.Task.StartTime ?? context.Stage.Context[StartKey].AsLong();
        if (start is null)
        {
            // No task start recorded: remember this first run so later runs count from it.
            start = now;
        }

        var end = start.Value + (long)(Math.Max(0, seconds) * 1000);
        if (now >= end)
        {
            return Task.FromResult(TaskResult.Succeeded());
        }

        var running = context.Task.StartTime is null && context.Stage.Context[StartKey] is null
            ? TaskResult.Running(new() { [StartKey] = start.Value })
            : TaskResult.Running();
        return Task.FromResult(running with { BackoffOverride = TimeSpan.FromMilliseconds(end - now) });
    }
}

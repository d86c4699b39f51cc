using Mizzen.Core.Json;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.Wait;

/// <summary>
/// Done when <c>stage.startTime + waitTime ≤ now</c> or <c>skipRemainingWait</c> is set. While waiting it asks to be
/// called back when the time is up, but no later than <see cref="MaxBackoff"/>: a bounded sleep costs one cheap
/// re-check and limits how late the stage finishes if a delayed message is lost or the clock jumps.
/// No task timeout (Orca: MAX); the stage's <c>stageTimeoutMs</c> still applies.
/// </summary>
public sealed class WaitTask : ITask
{
    public const string WaitTimeKey = "waitTime";
    public const string SkipRemainingWaitKey = "skipRemainingWait";

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (context.Context[SkipRemainingWaitKey].AsBool() == true)
        {
            return Task.FromResult(TaskResult.Succeeded());
        }

        var waitNode = context.Context[WaitTimeKey];
        var seconds = waitNode.AsDouble();
        if (waitNode is null)
        {
            return Task.FromResult(TaskResult.Succeeded());
        }

        if (seconds is null or < 0 || double.IsNaN(seconds.Value))
        {
            var text = waitNode.AsString() ?? waitNode.ToJsonString();
            return Task.FromResult(TaskResult.Terminal($"waitTime must be a non-negative number of seconds, got '{text}'"));
        }

        var now = context.NowMs;
        var start = context.Stage.StartTime ?? context.Task.StartTime ?? now;
        var endMs = start + (long)Math.Round(seconds.Value * 1000, MidpointRounding.AwayFromZero);
        if (endMs <= now)
        {
            return Task.FromResult(TaskResult.Succeeded());
        }

        var remaining = TimeSpan.FromMilliseconds(endMs - now);
        return Task.FromResult(TaskResult.Running() with { BackoffOverride = remaining < MaxBackoff ? remaining : MaxBackoff });
    }
}

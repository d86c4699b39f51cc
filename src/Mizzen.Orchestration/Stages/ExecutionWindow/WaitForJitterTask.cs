using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.ExecutionWindow;

/// <summary>
/// <c>jitter {enabled, minDelay, maxDelay, skipManual}</c> (seconds): after the window opens, waits a random time in
/// [minDelay, maxDelay] so many stages opening together do not all start at once. The wait is drawn from a seed made
/// from the stage id and stored in the context (<c>jitterWaitTime</c>, <c>jitterStartTime</c>) on the first run, so a
/// process restart keeps the same wait. Manual triggers skip it when <c>skipManual</c> is set.
/// </summary>
public sealed class WaitForJitterTask : ITask
{
    public const string WaitTimeKey = "jitterWaitTime";
    public const string StartTimeKey = "jitterStartTime";

    public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var jitter = context.Context[SuspendExecutionDuringTimeWindowTask.WindowKey]?["jitter"];
        if (jitter?["enabled"].AsBool() != true
            || context.Context[SuspendExecutionDuringTimeWindowTask.SkipRemainingWaitKey].AsBool() == true
            || (jitter["skipManual"].AsBool() == true && context.Execution.Trigger["type"].AsString() == "manual"))
        {
            return Task.FromResult(TaskResult.Succeeded());
        }

        var now = context.NowMs;
        var seconds = context.Context[WaitTimeKey].AsLong();
        var start = context.Context[StartTimeKey].AsLong();
        JsonObject? firstRun = null;
        if (seconds is null || start is null)
        {
            seconds = Choose(context.Stage.Id, jitter["minDelay"].AsLong() ?? 0, jitter["maxDelay"].AsLong() ?? 0);
            start = now;
            firstRun = new JsonObject { [WaitTimeKey] = seconds, [StartTimeKey] = start };
        }

        var end = start.Value + (seconds.Value * 1000);
        if (now >= end)
        {
            return Task.FromResult(TaskResult.Succeeded(firstRun));
        }

        return Task.FromResult(TaskResult.Running(firstRun) with { BackoffOverride = TimeSpan.FromMilliseconds(end - now) });
    }

    /// <summary>A wait in [min, max] seconds drawn from a seed made from the stage id (stable across processes).</summary>
    public static long Choose(string stageId, long minDelay, long maxDelay)
    {
        var min = Math.Max(0, Math.Min(minDelay, maxDelay));
        var max = Math.Max(0, Math.Max(minDelay, maxDelay));
        return new Random(StableSeed(stageId)).NextInt64(min, max + 1);
    }

    /// <summary>FNV-1a of the id: <see cref="string.GetHashCode()"/> changes from one process to the next.</summary>
    private static int StableSeed(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return unchecked((int)hash);
    }
}

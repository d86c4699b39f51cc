using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.ExecutionWindow;

/// <summary>
/// Holds the stage until its execution window opens. Inside a window (or with <c>skipRemainingWait</c>) → SUCCEEDED;
/// otherwise RUNNING with <c>scheduledTime</c> (epoch ms) in the context and a backoff until then, capped at
/// <see cref="MaxRecheck"/>: the sleep may be long because <c>skipRemainingWait</c> reschedules the task at once, and the
/// cap bounds the damage of a lost delayed message or a tzdata update. Nothing computable → TERMINAL.
/// </summary>
public sealed class SuspendExecutionDuringTimeWindowTask(IOptions<ExecutionWindowOptions> options) : ITask
{
    public const string WindowKey = "restrictedExecutionWindow";
    public const string ScheduledTimeKey = "scheduledTime";
    public const string SkipRemainingWaitKey = "skipRemainingWait";

    public static readonly TimeSpan MaxRecheck = TimeSpan.FromHours(1);

    public TimeSpan Backoff(TaskContext context) => TimeSpan.FromSeconds(30);

    /// <summary>Orca: 7 days (the engine does not count a window's wait toward the parent's <c>stageTimeoutMs</c>).</summary>
    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromDays(7);

    public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (context.Context[SkipRemainingWaitKey].AsBool() == true)
        {
            return Task.FromResult(TaskResult.Succeeded());
        }

        var zoneId = options.Value.TimeZone;
        if (!ExecutionWindowOptions.TryFindZone(zoneId, out var zone))
        {
            return Task.FromResult(Failed($"unknown time zone '{zoneId}' (ExecutionWindowOptions.TimeZone)"));
        }

        DateTimeOffset? next;
        try
        {
            next = TimeWindowSchedule.Parse(context.Context[WindowKey]).NextAllowed(context.Time.GetUtcNow(), zone);
        }
        catch (FormatException e)
        {
            return Task.FromResult(Failed(e.Message));
        }

        if (next is null)
        {
            return Task.FromResult(Failed("no allowed time was found in the next 7 days"));
        }

        var now = context.Time.GetUtcNow();
        if (now >= next.Value)
        {
            return Task.FromResult(TaskResult.Succeeded());
        }

        var untilOpen = next.Value - now;
        var running = TaskResult.Running(new JsonObject { [ScheduledTimeKey] = next.Value.ToUnixTimeMilliseconds() });
        return Task.FromResult(running with { BackoffOverride = untilOpen < MaxRecheck ? untilOpen : MaxRecheck });
    }

    private static TaskResult Failed(string reason)
    {
        var message = $"Exception occurred while calculating time window: {reason}";
        return TaskResult.Terminal(message, new JsonObject { ["failureReason"] = message });
    }
}

using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Raises the lifecycle events Spinnaker's notifications listen for (Orca's <c>orca:pipeline|stage:starting|complete|failed</c>),
/// as <see cref="NotifyLifecycle"/> messages in the transaction of the change. Only when someone listens: the run has pipeline
/// <c>notifications</c>, or the (non-synthetic) stage has its own <c>notifications</c> and does not say
/// <c>"sendNotifications": false</c>. A run without notifications pushes nothing. Cancelled runs and stages raise nothing
/// (echo never notifies them); a skipped stage neither.
/// </summary>
public static class LifecycleEvents
{
    public const string PipelineStarting = "pipeline.starting";
    public const string PipelineComplete = "pipeline.complete";
    public const string PipelineFailed = "pipeline.failed";
    public const string StageStarting = "stage.starting";
    public const string StageComplete = "stage.complete";
    public const string StageFailed = "stage.failed";

    /// <summary>The run started (RUNNING).</summary>
    public static void PipelineStarted(HandlerContext context) => PushForPipeline(context, PipelineStarting);

    /// <summary>The run ended with <paramref name="status"/>: SUCCEEDED is complete, TERMINAL (or another failure) failed, CANCELED nothing.</summary>
    public static void PipelineEnded(HandlerContext context, ExecutionStatus status)
    {
        if (status == ExecutionStatus.Succeeded)
        {
            PushForPipeline(context, PipelineComplete);
        }
        else if (status != ExecutionStatus.Canceled && !context.Execution.Canceled)
        {
            PushForPipeline(context, PipelineFailed);
        }
    }

    /// <summary>The stage started (RUNNING).</summary>
    public static void StageStarted(HandlerContext context, StageExecution stage) => PushForStage(context, stage, StageStarting);

    /// <summary>
    /// The stage ended with <paramref name="status"/>: SUCCEEDED is complete; TERMINAL, STOPPED and FAILED_CONTINUE are failed
    /// (Orca: a stage that let the run go on still failed); SKIPPED and CANCELED raise nothing.
    /// </summary>
    public static void StageEnded(HandlerContext context, StageExecution stage, ExecutionStatus status)
    {
        if (status == ExecutionStatus.Succeeded)
        {
            PushForStage(context, stage, StageComplete);
        }
        else if (status is ExecutionStatus.Terminal or ExecutionStatus.Stopped or ExecutionStatus.FailedContinue)
        {
            PushForStage(context, stage, StageFailed);
        }
    }

    /// <summary>The stage's own notifications, when it sends them (not synthetic, <c>sendNotifications</c> not false, a non-empty list).</summary>
    public static JsonArray? StageNotifications(StageExecution stage) =>
        !stage.IsSynthetic && stage.Context["sendNotifications"].AsBool() != false && stage.Context["notifications"] is JsonArray { Count: > 0 } list
            ? list
            : null;

    private static void PushForPipeline(HandlerContext context, string name)
    {
        if (context.Execution.Notifications is { Count: > 0 })
        {
            context.Push(new NotifyLifecycle(context.Execution.Id, name, null, context.Now));
        }
    }

    private static void PushForStage(HandlerContext context, StageExecution stage, string name)
    {
        if (StageNotifications(stage) is not null && !context.Execution.Canceled)
        {
            context.Push(new NotifyLifecycle(context.Execution.Id, name, stage.Id, context.Now));
        }
    }
}

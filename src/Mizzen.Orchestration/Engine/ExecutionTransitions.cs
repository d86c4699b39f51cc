using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;

namespace Mizzen.Orchestration.Engine;

/// <summary>State changes several handlers share: finishing a run, moving on after a stage.</summary>
public static class ExecutionTransitions
{
    /// <summary>Ends the execution with <paramref name="status"/> and lets the next queued run of its pipeline start.</summary>
    public static void Finish(HandlerContext context, ExecutionStatus status)
    {
        var execution = context.Execution;
        execution.Status = status;
        execution.EndTime = context.Now;
        LifecycleEvents.PipelineEnded(context, status);
        if (execution.PipelineConfigId is { } configId)
        {
            context.Push(new StartWaitingExecutions(execution.Id, configId, Purge: !execution.KeepWaitingPipelines));
            context.Push(new ExecutionFinished(execution.Id));
        }
    }

    /// <summary>Orca's <c>startNext</c>: start downstream stages, or tell the parent / the execution that this branch is done.</summary>
    public static void StartNext(HandlerContext context, StageExecution stage)
    {
        var execution = context.Execution;
        var downstream = execution.Downstream(stage).ToList();
        if (downstream.Count > 0)
        {
            foreach (var next in downstream)
            {
                context.Push(new StartStage(execution.Id, next.Id));
            }
        }
        else if (stage.ParentStageId is not null)
        {
            context.Push(new ContinueParentStage(execution.Id, stage.ParentStageId, stage.SyntheticStageOwner ?? SyntheticStageOwner.StageBefore));
        }
        else
        {
            context.Push(new CompleteExecution(execution.Id));
        }
    }

    /// <summary>The stage's first task, or null when it has none.</summary>
    public static TaskExecution? FirstTask(StageExecution stage) => stage.Tasks.Count > 0 ? stage.Tasks[0] : null;
}

using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Engine;

/// <summary>Orca's rules for what a failure means (Deck's "if stage fails" choices) and for a stage's overall status.</summary>
public static class StageStatusRules
{
    /// <summary>
    /// <c>continuePipeline</c> → FAILED_CONTINUE; <c>failPipeline</c> absent or true → <paramref name="whenFailing"/>; otherwise STOPPED.
    /// </summary>
    public static ExecutionStatus FailureStatus(StageExecution stage, ExecutionStatus whenFailing = ExecutionStatus.Terminal)
    {
        if (stage.Context["continuePipeline"].AsBool() == true)
        {
            return ExecutionStatus.FailedContinue;
        }

        return stage.Context["failPipeline"].AsBool() is null or true ? whenFailing : ExecutionStatus.Stopped;
    }

    /// <summary>
    /// The status a stage ends with, from its tasks and synthetic children: null while something is still to run.
    /// </summary>
    public static ExecutionStatus? Determine(PipelineExecution execution, StageExecution stage)
    {
        if (stage.ContextFlag("beforeStagePlanningFailed"))
        {
            return FailureStatus(stage);
        }

        var children = execution.Children(stage).ToList();
        var statuses = children.Select(c => c.Status).Concat(stage.Tasks.Select(t => t.Status)).ToList();
        if (statuses.Count == 0)
        {
            return ExecutionStatus.Skipped;
        }

        if (statuses.Contains(ExecutionStatus.Terminal))
        {
            return FailureStatus(stage);
        }

        if (statuses.Contains(ExecutionStatus.Stopped))
        {
            return ExecutionStatus.Stopped;
        }

        if (statuses.Contains(ExecutionStatus.Canceled))
        {
            return ExecutionStatus.Canceled;
        }

        if (statuses.Exists(s => !s.IsComplete()))
        {
            return null;
        }

        return statuses.Contains(ExecutionStatus.FailedContinue) ? ExecutionStatus.FailedContinue : ExecutionStatus.Succeeded;
    }

    /// <summary>A NOT_STARTED stage whose upstream stages all finished in a way that lets it run.</summary>
    public static bool IsStartable(PipelineExecution execution, StageExecution stage) =>
        stage.Status == ExecutionStatus.NotStarted && execution.Upstream(stage).All(u => u.Status.AllowsDownstream());

    /// <summary>True when an upstream stage (through NOT_STARTED ancestors) halted, so this stage can never run.</summary>
    public static bool IsBlocked(PipelineExecution execution, StageExecution stage)
    {
        foreach (var upstream in execution.Upstream(stage))
        {
            if (upstream.Status.IsHalt() || (upstream.Status == ExecutionStatus.NotStarted && IsBlocked(execution, upstream)))
            {
                return true;
            }
        }

        return false;
    }
}

using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;

namespace Mizzen.Orchestration.Engine.Handlers;

/// <summary>
/// Decides the run's status from its top-level stages (Orca's CompleteExecutionHandler): a TERMINAL or CANCELED
/// stage ends it at once (other branches are cancelled); STOPPED branches wait for the others, then the run fails
/// only if one of them asked to (<c>completeOtherBranchesThenFail</c>).
/// </summary>
public sealed class CompleteExecutionHandler : MessageHandler<CompleteExecution>
{
    public override string Kind => "completeExecution";

    protected override Task HandleAsync(HandlerContext context, CompleteExecution message, CancellationToken cancellationToken)
    {
        var execution = context.Execution;
        if (execution.Status.IsComplete())
        {
            return Task.CompletedTask;
        }

        var stages = execution.TopLevelStages().ToList();
        ExecutionStatus status;
        if (execution.Canceled || stages.Exists(s => s.Status == ExecutionStatus.Canceled))
        {
            status = ExecutionStatus.Canceled;
        }
        else if (stages.Exists(s => s.Status == ExecutionStatus.Terminal))
        {
            status = ExecutionStatus.Terminal;
        }
        else if (stages.Exists(s => s.Status is ExecutionStatus.Running or ExecutionStatus.Paused || StageStatusRules.IsStartable(execution, s)))
        {
            return Task.CompletedTask;
        }
        else if (stages.Exists(s => s.Status == ExecutionStatus.Stopped))
        {
            status = execution.Stages.Exists(s => s.Status == ExecutionStatus.Stopped && s.ContextFlag("completeOtherBranchesThenFail"))
                ? ExecutionStatus.Terminal
                : ExecutionStatus.Succeeded;
        }
        else
        {
            status = ExecutionStatus.Succeeded;
        }

        if (status != ExecutionStatus.Succeeded)
        {
            foreach (var running in stages.Where(s => s.Status is ExecutionStatus.Running or ExecutionStatus.Paused))
            {
                context.Push(new CancelStage(execution.Id, running.Id));
            }
        }

        ExecutionTransitions.Finish(context, status);
        return Task.CompletedTask;
    }
}

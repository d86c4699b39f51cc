using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;

namespace Mizzen.Orchestration.Engine.Handlers;

/// <summary>Every running task runs now: how a cancel, judgment, skip or resume takes effect without waiting for a backoff.</summary>
public sealed class RescheduleExecutionHandler(RunningTaskRegistry running) : MessageHandler<RescheduleExecution>
{
    public override string Kind => "rescheduleExecution";

    protected override Task HandleAsync(HandlerContext context, RescheduleExecution message, CancellationToken cancellationToken)
    {
        var execution = context.Execution;
        foreach (var stage in execution.Stages.Where(s => s.Status == ExecutionStatus.Running))
        {
            foreach (var task in stage.Tasks.Where(t => t.Status == ExecutionStatus.Running))
            {
                context.Push(new RunTask(execution.Id, stage.Id, task.Id));
            }
        }

        if (execution.Canceled)
        {
            context.AfterCommit(_ =>
            {
                running.Cancel(execution.Id);
                return Task.CompletedTask;
            });
        }

        return Task.CompletedTask;
    }
}

using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;

namespace Mizzen.Orchestration.Engine.Handlers;

public sealed class StartExecutionHandler(ConcurrencyGate gate) : MessageHandler<StartExecution>
{
    public override string Kind => "startExecution";

    protected override async Task HandleAsync(HandlerContext context, StartExecution message, CancellationToken cancellationToken)
    {
        var execution = context.Execution;
        if (execution.Status != ExecutionStatus.NotStarted)
        {
            return;
        }

        if (execution.Canceled)
        {
            ExecutionTransitions.Finish(context, ExecutionStatus.Canceled);
            return;
        }

        if (await gate.ShouldQueueAsync(context, cancellationToken))
        {
            gate.Enqueue(context, message);
            return;
        }

        if (execution.StartTimeExpiry is { } expiry && context.Now > expiry)
        {
            execution.Canceled = true;
            execution.CanceledBy = "mizzen";
            execution.CancellationReason = "Could not begin execution before start time expiry";
            ExecutionTransitions.Finish(context, ExecutionStatus.Canceled);
            return;
        }

        var initial = execution.TopLevelStages().Where(s => s.IsInitial).ToList();
        if (initial.Count == 0)
        {
            ExecutionTransitions.Finish(context, ExecutionStatus.Terminal);
            return;
        }

        execution.Status = ExecutionStatus.Running;
        execution.StartTime = context.Now;
        execution.Canceled = false;
        LifecycleEvents.PipelineStarted(context);
        foreach (var stage in initial)
        {
            context.Push(new StartStage(execution.Id, stage.Id));
        }
    }
}

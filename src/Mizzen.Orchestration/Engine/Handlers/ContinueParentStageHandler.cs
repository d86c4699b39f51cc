using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;

namespace Mizzen.Orchestration.Engine.Handlers;

/// <summary>
/// A branch of synthetic stages finished. Before stages all done → the parent's tasks run; after stages all done →
/// the parent completes. A failed synthetic stage completes its parent itself, so nothing happens here then — except at the end
/// of the on-failure chain that failure planned: its stages run after the failed one, and when the last ends the parent completes
/// (again), now with its failure status.
/// </summary>
public sealed class ContinueParentStageHandler : MessageHandler<ContinueParentStage>
{
    public override string Kind => "continueParentStage";

    protected override Task HandleAsync(HandlerContext context, ContinueParentStage message, CancellationToken cancellationToken)
    {
        var execution = context.Execution;
        if (execution.StageById(message.StageId) is not { Status: ExecutionStatus.Running } parent)
        {
            return Task.CompletedTask;
        }

        var phase = execution.Children(parent, message.Phase).ToList();
        if (message.Phase == SyntheticStageOwner.StageAfter && parent.ContextFlag("onFailureStagesPlanned"))
        {
            if (phase.TrueForAll(s => s.Status.IsComplete()))
            {
                context.Push(new CompleteStage(execution.Id, parent.Id));
            }

            return Task.CompletedTask;
        }

        if (phase.Exists(s => s.Status.IsHalt()) || phase.Exists(s => !s.Status.AllowsDownstream()))
        {
            return Task.CompletedTask;
        }

        if (message.Phase == SyntheticStageOwner.StageBefore && parent.Tasks.Find(t => t.Status == ExecutionStatus.NotStarted) is { } first
            && parent.Tasks.TrueForAll(t => t.Status == ExecutionStatus.NotStarted))
        {
            context.Push(new StartTask(execution.Id, parent.Id, first.Id));
        }
        else
        {
            context.Push(new CompleteStage(execution.Id, parent.Id));
        }

        return Task.CompletedTask;
    }
}

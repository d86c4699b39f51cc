using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;

namespace Mizzen.Orchestration.Engine.Handlers;

/// <summary>A disabled stage, or one skipped by hand: SKIPPED, and the run moves on as if it succeeded.</summary>
public sealed class SkipStageHandler : MessageHandler<SkipStage>
{
    public override string Kind => "skipStage";

    protected override Task HandleAsync(HandlerContext context, SkipStage message, CancellationToken cancellationToken)
    {
        var execution = context.Execution;
        if (execution.StageById(message.StageId) is not { } stage)
        {
            return Task.CompletedTask;
        }

        var manual = stage.ContextFlag("manualSkip");
        if (!(stage.Status is ExecutionStatus.Running or ExecutionStatus.NotStarted or ExecutionStatus.Paused || (manual && !stage.Status.IsComplete())))
        {
            return Task.CompletedTask;
        }

        stage.Status = ExecutionStatus.Skipped;
        stage.EndTime = context.Now;
        foreach (var descendant in execution.Descendants(stage).Where(d => !d.Status.IsComplete()))
        {
            descendant.Status = ExecutionStatus.Skipped;
            descendant.EndTime = context.Now;
            descendant.Tasks.Where(t => !t.Status.IsComplete()).ToList().ForEach(t => t.Status = ExecutionStatus.Skipped);
        }

        stage.Tasks.Where(t => !t.Status.IsComplete()).ToList().ForEach(t =>
        {
            t.Status = ExecutionStatus.Skipped;
            t.EndTime = context.Now;
        });
        ExecutionTransitions.StartNext(context, stage);
        return Task.CompletedTask;
    }
}

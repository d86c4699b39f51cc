using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;

namespace Mizzen.Orchestration.Engine.Handlers;

/// <summary>
/// A stage must stop: its running tasks run now (and see the cancellation), in-flight task work is told, and a
/// stage type with external work (a child pipeline, a job) is asked to stop it once the change is committed.
/// </summary>
public sealed class CancelStageHandler(StagePlanner planner, RunningTaskRegistry running) : MessageHandler<CancelStage>
{
    public override string Kind => "cancelStage";

    protected override Task HandleAsync(HandlerContext context, CancelStage message, CancellationToken cancellationToken)
    {
        var execution = context.Execution;
        if (execution.StageById(message.StageId) is not { } stage)
        {
            return Task.CompletedTask;
        }

        foreach (var target in execution.Descendants(stage).Prepend(stage))
        {
            foreach (var task in target.Tasks.Where(t => t.Status == ExecutionStatus.Running))
            {
                context.Push(new RunTask(execution.Id, target.Id, task.Id));
            }

            if (target.Status.IsHalt() || target.Status == ExecutionStatus.Running || execution.Status.IsComplete())
            {
                var definition = TryDefinition(target);
                if (definition is not null)
                {
                    var snapshot = execution;
                    var stageSnapshot = target;
                    context.AfterCommit(ct => definition.CancelAsync(snapshot, stageSnapshot, ct));
                }
            }
        }

        context.AfterCommit(_ =>
        {
            running.Cancel(execution.Id);
            return Task.CompletedTask;
        });
        return Task.CompletedTask;
    }

    private Stages.IStageDefinition? TryDefinition(StageExecution stage)
    {
        try
        {
            return planner.Definition(stage);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}

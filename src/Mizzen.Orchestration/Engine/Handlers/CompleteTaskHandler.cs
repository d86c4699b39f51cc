using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;

namespace Mizzen.Orchestration.Engine.Handlers;

/// <summary>Records a task's end, then starts the next task or completes the stage.</summary>
public sealed class CompleteTaskHandler : MessageHandler<CompleteTask>
{
    public override string Kind => "completeTask";

    protected override Task HandleAsync(HandlerContext context, CompleteTask message, CancellationToken cancellationToken)
    {
        var execution = context.Execution;
        var stage = execution.StageById(message.StageId);
        var task = stage?.Tasks.Find(t => t.Id == message.TaskId);
        if (stage is null || task is null || task.Status.IsComplete())
        {
            return Task.CompletedTask;
        }

        task.Status = message.Status;
        task.EndTime = context.Now;
        if (message.Status == ExecutionStatus.Skipped && execution.TopLevel(stage).ContextFlag("manualSkip"))
        {
            context.Push(new SkipStage(execution.Id, execution.TopLevel(stage).Id));
            return Task.CompletedTask;
        }

        var index = stage.Tasks.IndexOf(task);
        if (task.StageEnd || index == stage.Tasks.Count - 1 || message.Status.IsHalt())
        {
            context.Push(new CompleteStage(execution.Id, stage.Id));
        }
        else
        {
            context.Push(new StartTask(execution.Id, stage.Id, stage.Tasks[index + 1].Id));
        }

        return Task.CompletedTask;
    }
}

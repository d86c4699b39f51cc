using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;

namespace Mizzen.Orchestration.Engine.Handlers;

public sealed class StartTaskHandler : MessageHandler<StartTask>
{
    public override string Kind => "startTask";

    protected override Task HandleAsync(HandlerContext context, StartTask message, CancellationToken cancellationToken)
    {
        var execution = context.Execution;
        var task = execution.StageById(message.StageId)?.Tasks.Find(t => t.Id == message.TaskId);
        if (task is not { Status: ExecutionStatus.NotStarted })
        {
            return Task.CompletedTask;
        }

        task.Status = ExecutionStatus.Running;
        task.StartTime = context.Now;
        task.PausedMsAtStart = execution.PausedDurationMs(context.Now);
        context.Push(new RunTask(execution.Id, message.StageId, message.TaskId));
        return Task.CompletedTask;
    }
}

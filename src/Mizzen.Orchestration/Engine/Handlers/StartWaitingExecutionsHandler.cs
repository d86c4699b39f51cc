using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;
using Mizzen.Persistence;
using Mizzen.Persistence.Queue;

namespace Mizzen.Orchestration.Engine.Handlers;

/// <summary>
/// A run ended: start what waited for it. Purge (the default, <c>keepWaitingPipelines: false</c>) starts the newest
/// queued run and cancels the others; otherwise the oldest starts (FIFO). Entries whose run was cancelled while
/// waiting are passed over.
/// </summary>
public sealed class StartWaitingExecutionsHandler : MessageHandler<StartWaitingExecutions>
{
    public const string SupersededReason =
        "This execution was queued but then canceled because a newer queued execution superseded it. This pipeline is configured to automatically cancel waiting executions.";

    public override string Kind => "startWaitingExecutions";

    protected override async Task HandleAsync(HandlerContext context, StartWaitingExecutions message, CancellationToken cancellationToken)
    {
        var finished = context.Execution;
        var transaction = context.Transaction;
        var maxRunning = finished.LimitConcurrent ? 1 : Math.Max(finished.MaxConcurrentExecutions, 1);
        if (await transaction.CountActiveAsync(message.PipelineConfigId, "", cancellationToken) >= maxRunning)
        {
            return;
        }

        while (true)
        {
            var entries = await transaction.TakePendingAsync(message.PipelineConfigId, message.Purge, cancellationToken);
            if (entries.Count == 0)
            {
                return;
            }

            PendingEntry? started = null;
            foreach (var entry in entries)
            {
                var waiting = await transaction.LoadExecutionAsync(entry.ExecutionId, cancellationToken);
                if (waiting is null || waiting.Status.IsComplete())
                {
                    continue;
                }

                if (started is null)
                {
                    started = entry;
                    transaction.Push(new OutgoingMessage(entry.Kind, entry.Payload, context.Now));
                }
                else if (entry.Kind == "startExecution" && waiting.Status == ExecutionStatus.NotStarted)
                {
                    waiting.Canceled = true;
                    waiting.CanceledBy = "mizzen";
                    waiting.CancellationReason = SupersededReason;
                    waiting.Status = ExecutionStatus.Canceled;
                    waiting.EndTime = context.Now;
                }
            }

            if (started is not null || message.Purge)
            {
                return;
            }
        }
    }
}

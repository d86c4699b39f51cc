using Microsoft.Extensions.Logging;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine.Handlers;
using Mizzen.Orchestration.Queue;
using Mizzen.Orchestration.Tasks;
using Mizzen.Persistence;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Queue;


namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Handles one claimed message: in one transaction it loads the execution, lets the handler change it and push
/// what follows, acknowledges the message and commits. <c>runTask</c> and <c>evaluateStage</c> do their work (a task,
/// expressions that may fetch URLs) outside the transaction first: see <see cref="RunTaskProcessor"/> and
/// <see cref="StageEvaluationProcessor"/>. Nothing inside a transaction waits on the network, a file or a process. A failure leaves the message to be retried; a message that
/// keeps failing is dead and ends its run TERMINAL (no stuck runs), except a lifecycle message (notifications): that one is dropped
/// with a log, the run untouched.
/// </summary>
public sealed partial class MessageProcessor(
    IStore store,
    IMessageQueue queue,
    IEnumerable<IMessageHandler> handlers,
    IEnumerable<IExecutionFinishedListener> finishedListeners,
    IEnumerable<IExecutionLifecycleListener> lifecycleListeners,
    IExecutionStore executions,
    RunTaskProcessor runTasks,
    StageEvaluationProcessor stageEvaluations,
    ExecutionEvents events,
    EngineMetrics metrics,
    INodeAffinity affinity,
    Microsoft.Extensions.Options.IOptions<EngineOptions> options,
    TimeProvider time,
    ILogger<MessageProcessor> logger)
{
    private readonly Dictionary<string, IMessageHandler> byKind = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    public async Task ProcessAsync(QueueMessage queued, CancellationToken stoppingToken)
    {
        var started = time.GetTimestamp();
        EngineMessage message;
        try
        {
            message = MessageCodec.Decode(queued.Kind, queued.Payload);
        }
        catch (Exception e)
        {
            LogUndecodable(e, queued.Id, queued.Kind);
            await queue.DropAsync(queued, stoppingToken);
            return;
        }

        try
        {
            if (queued.Attempts > options.Value.MaxAttempts)
            {
                await DeadLetterAsync(queued, message, stoppingToken);
                return;
            }

            PipelineExecution? execution;
            if (message is RunTask runTask)
            {
                var (processed, afterCommit) = await runTasks.ProcessAsync(queued, runTask, byKind, stoppingToken);
                await RunAfterCommitAsync(afterCommit, message, stoppingToken);
                execution = processed;
            }
            else if (message is ExecutionFinished)
            {
                execution = await TellFinishedAsync(queued, message, stoppingToken);
            }
            else if (message is NotifyLifecycle lifecycle)
            {
                execution = await TellLifecycleAsync(queued, lifecycle, stoppingToken);
            }
            else if (message is EvaluateStage evaluateStage)
            {
                var (processed, afterCommit) = await stageEvaluations.ProcessAsync(queued, evaluateStage, byKind, stoppingToken);
                await RunAfterCommitAsync(afterCommit, message, stoppingToken);
                execution = processed;
            }
            else
            {
                execution = await HandleAsync(queued, message, stoppingToken);
            }
            if (execution is not null)
            {
                events.Publish(execution.Id, execution.Application);
            }
        }
        catch (LeaseLostException)
        {
            // Another worker owns the message now; this worker's changes were rolled back.
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            LogHandlerFailed(e, queued.Kind, message.ExecutionId, queued.Attempts);
            var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, queued.Attempts)));
            if (e is RetryLaterException later && later.After > delay)
            {
                delay = later.After;
            }

            await queue.ReleaseAsync(queued, time.GetUtcNow().Add(delay).ToUnixTimeMilliseconds(), stoppingToken);
        }
        finally
        {
            metrics.RecordHandled(queued.Kind, time.GetElapsedTime(started));
        }
    }

    private async Task<PipelineExecution?> HandleAsync(QueueMessage queued, EngineMessage message, CancellationToken stoppingToken)
    {
        List<Func<CancellationToken, Task>> afterCommit;
        PipelineExecution? execution;
        await using (var transaction = await store.BeginAsync(stoppingToken))
        {
            execution = await transaction.LoadExecutionAsync(message.ExecutionId, stoppingToken);
            transaction.Ack(queued);
            if (execution is null || !byKind.TryGetValue(message.Kind, out var handler))
            {
                await transaction.CommitAsync(stoppingToken);
                return null;
            }

            var inline = new InlineMessages(byKind, transaction, execution, time, affinity);
            await handler.HandleAsync(inline.NewContext(), message, stoppingToken);
            await inline.DrainAsync(stoppingToken);
            await transaction.CommitAsync(stoppingToken);
            afterCommit = [.. inline.AfterCommitActions];
        }

        await RunAfterCommitAsync(afterCommit, message, stoppingToken);
        return execution;
    }

    /// <summary>The listeners run outside any transaction (they may start other runs); the message goes only once all returned.</summary>
    private async Task<PipelineExecution?> TellFinishedAsync(QueueMessage queued, EngineMessage message, CancellationToken stoppingToken)
    {
        var finished = await executions.GetAsync(message.ExecutionId, stoppingToken);
        if (finished is not null && finished.Status.IsComplete())
        {
            foreach (var listener in finishedListeners)
            {
                await listener.OnFinishedAsync(finished, stoppingToken);
            }
        }

        await queue.DropAsync(queued, stoppingToken);
        return finished; // published like every handled message of the run, so whoever waits for the run's queue to drain sees this one go
    }

    /// <summary>
    /// Tells the lifecycle listeners (notifications) outside any transaction; the message goes once all returned. A listener's
    /// exception propagates: the message is retried with backoff, and dropped with a log after the last attempt (see
    /// <see cref="DeadLetterAsync"/>), never failing the run.
    /// </summary>
    private async Task<PipelineExecution?> TellLifecycleAsync(QueueMessage queued, NotifyLifecycle message, CancellationToken stoppingToken)
    {
        var execution = await executions.GetAsync(message.ExecutionId, stoppingToken);
        if (execution is not null)
        {
            var lifecycle = new ExecutionLifecycleEvent(message.ExecutionId, message.Event, message.StageId, message.At);
            foreach (var listener in lifecycleListeners)
            {
                await listener.OnLifecycleAsync(lifecycle, execution, stoppingToken);
            }
        }

        await queue.DropAsync(queued, stoppingToken);
        return execution;
    }

    /// <summary>Runs once the transaction is committed and disposed (the write lock released: an action may write).</summary>
    internal async Task RunAfterCommitAsync(IEnumerable<Func<CancellationToken, Task>> actions, EngineMessage message, CancellationToken stoppingToken)
    {
        foreach (var action in actions)
        {
            try
            {
                await action(stoppingToken);
            }
            catch (Exception e)
            {
                LogAfterCommitFailed(e, message.Kind, message.ExecutionId);
            }
        }
    }

    /// <summary>A message failed every attempt: fail its stage and its run so nothing waits forever.</summary>
    private async Task DeadLetterAsync(QueueMessage queued, EngineMessage message, CancellationToken stoppingToken)
    {
        if (message is NotifyLifecycle lifecycle)
        {
            // A notification that cannot be delivered is given up on; the run it reports on is not touched.
            LogLifecycleGivenUp(lifecycle.Event, lifecycle.StageId ?? "-", message.ExecutionId, queued.Attempts - 1);
            await queue.DropAsync(queued, stoppingToken);
            return;
        }

        LogDeadMessage(queued.Kind, message.ExecutionId, queued.Attempts);
        await using var transaction = await store.BeginAsync(stoppingToken);
        transaction.Ack(queued);
        var execution = await transaction.LoadExecutionAsync(message.ExecutionId, stoppingToken);
        if (execution is not null && !execution.Status.IsComplete())
        {
            var context = new HandlerContext(transaction, execution, time) { Affinity = affinity };
            var error = $"Mizzen could not process '{queued.Kind}' after {queued.Attempts - 1} attempts; see the server log";
            var stageId = message switch
            {
                StartStage m => m.StageId,
                EvaluateStage m => m.StageId,
                StartTask m => m.StageId,
                RunTask m => m.StageId,
                CompleteTask m => m.StageId,
                CompleteStage m => m.StageId,
                SkipStage m => m.StageId,
                ContinueParentStage m => m.StageId,
                _ => null,
            };
            if (stageId is not null && execution.StageById(stageId) is { } stage && !stage.Status.IsComplete())
            {
                stage.Status = ExecutionStatus.Terminal;
                stage.EndTime = context.Now;
                stage.Context["exception"] = TaskFailure.ExceptionJson("Dead message", [error]);
            }

            foreach (var running in execution.TopLevelStages().Where(s => s.Status is ExecutionStatus.Running or ExecutionStatus.Paused))
            {
                context.Push(new CancelStage(execution.Id, running.Id));
            }

            ExecutionTransitions.Finish(context, ExecutionStatus.Terminal);
        }

        await transaction.CommitAsync(stoppingToken);
        if (execution is not null)
        {
            events.Publish(execution.Id, execution.Application);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Dropping undecodable message {MessageId} of kind {Kind}")]
    private partial void LogUndecodable(Exception exception, long messageId, string kind);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Handling {Kind} for execution {ExecutionId} failed (attempt {Attempt}); it will be retried")]
    private partial void LogHandlerFailed(Exception exception, string kind, string executionId, int attempt);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "After-commit action of {Kind} for execution {ExecutionId} failed")]
    private partial void LogAfterCommitFailed(Exception exception, string kind, string executionId);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Message {Kind} for execution {ExecutionId} failed {Attempts} times; the run is failed")]
    private partial void LogDeadMessage(string kind, string executionId, int attempts);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error,
        Message = "Gave up telling {Event} (stage {StageId}) of execution {ExecutionId} after {Attempts} attempts; its notifications that were not sent are dropped, the run goes on")]
    private partial void LogLifecycleGivenUp(string @event, string stageId, string executionId, int attempts);
}

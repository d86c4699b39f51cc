using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;
using Mizzen.Orchestration.Tasks;
using Mizzen.Persistence;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Queue;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Runs a task. The task's own work happens outside any transaction (it may call other systems); its result is then
/// applied in a transaction that first checks nothing changed meanwhile (a cancel, a pause). Cancellation wins:
/// a cancelled run's task gets <see cref="ITask.OnCancelAsync"/> and ends CANCELED.
/// </summary>
public sealed class RunTaskProcessor(
    IStore store,
    IExecutionStore executions,
    TaskResolver resolver,
    StageContextEvaluator contexts,
    RunningTaskRegistry running,
    INodeAffinity affinity,
    TimeProvider time)
{
    /// <summary>Runs the task and applies its result; returns the run and the after-commit actions (to run once the lock is released).</summary>
    public async Task<(PipelineExecution? Execution, IReadOnlyList<Func<CancellationToken, Task>> AfterCommit)> ProcessAsync(
        QueueMessage queued, RunTask message, IReadOnlyDictionary<string, Handlers.IMessageHandler> handlers, CancellationToken stoppingToken)
    {
        var snapshot = await executions.GetAsync(message.ExecutionId, stoppingToken);
        var stage = snapshot?.StageById(message.StageId);
        var task = stage?.Tasks.Find(t => t.Id == message.TaskId);
        Outcome outcome;
        if (snapshot is null || stage is null || task is null || task.Status != ExecutionStatus.Running)
        {
            outcome = Outcome.Drop;
        }
        else
        {
            outcome = await DecideAsync(snapshot, stage, task, stoppingToken);
        }

        await using var transaction = await store.BeginAsync(stoppingToken);
        var execution = await transaction.LoadExecutionAsync(message.ExecutionId, stoppingToken);
        var current = execution?.StageById(message.StageId);
        var currentTask = current?.Tasks.Find(t => t.Id == message.TaskId);
        transaction.Ack(queued);
        if (execution is null || current is null || currentTask is null || currentTask.Status != ExecutionStatus.Running || outcome.Kind == OutcomeKind.Drop)
        {
            await transaction.CommitAsync(stoppingToken);
            return (execution, []);
        }

        var inline = new InlineMessages(handlers, transaction, execution, time, affinity);
        var context = inline.NewContext();
        if (outcome.Kind == OutcomeKind.Executed && (execution.Canceled != snapshot!.Canceled || execution.Status != snapshot.Status))
        {
            // The run was cancelled or paused while the task worked: take that path now.
            context.Push(message);
        }
        else
        {
            Apply(context, current, currentTask, message, outcome);
        }

        await inline.DrainAsync(stoppingToken);
        await transaction.CommitAsync(stoppingToken);
        return (execution, [.. inline.AfterCommitActions]);
    }

    private async Task<Outcome> DecideAsync(PipelineExecution execution, StageExecution stage, TaskExecution task, CancellationToken stoppingToken)
    {
        ITask implementation;
        try
        {
            implementation = resolver.Resolve(stage, task);
        }
        catch (Exception e)
        {
            return Outcome.Failed(stage, e, task.Name);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (execution.Canceled || execution.Status.IsComplete())
        {
            var rawContext = new TaskContext(execution, stage, task, stage.Context, time);
            TaskResult? onCancel = null;
            try
            {
                onCancel = await implementation.OnCancelAsync(rawContext, stoppingToken);
            }
            catch (Exception)
            {
                // Best effort: the run ends CANCELED whatever the task's clean-up does.
            }

            return Outcome.Complete(StageStatusRules.FailureStatus(stage, ExecutionStatus.Canceled), ExecutionStatus.Canceled, onCancel);
        }

        if (execution.Status == ExecutionStatus.Paused)
        {
            return new Outcome(OutcomeKind.Pause);
        }

        if (execution.TopLevel(stage).ContextFlag("manualSkip"))
        {
            return Outcome.Complete(ExecutionStatus.Skipped, ExecutionStatus.Skipped, null);
        }

        var evaluation = contexts.Evaluate(execution, stage, resolver.UnevaluatedKeys(stage));
        var taskContext = new TaskContext(execution, stage, task, evaluation.Value as JsonObject ?? stage.Context, time);
        if (TaskTimeouts.Check(execution, stage, task, implementation, taskContext, now) is { } timeoutError)
        {
            var onTimeout = await implementation.OnTimeoutAsync(taskContext, stoppingToken);
            if (onTimeout is not null)
            {
                return Outcome.FromResult(stage, onTimeout, TimeSpan.Zero, evaluation.Summary);
            }

            return stage.ContextFlag("markSuccessfulOnTimeout")
                ? Outcome.Complete(ExecutionStatus.Succeeded, ExecutionStatus.Succeeded, null)
                : Outcome.Failed(stage, new TimeoutException(timeoutError), task.Name);
        }

        using var registration = running.Register(execution.Id, stoppingToken);
        try
        {
            var result = await implementation.ExecuteAsync(taskContext, registration.Token);
            var backoff = result.BackoffOverride ?? implementation.Backoff(taskContext);
            if (taskContext.Get("backoffPeriodMs") is { } configured && Core.Json.MizzenJson.AsLong(configured) is { } ms && ms > backoff.TotalMilliseconds)
            {
                backoff = TimeSpan.FromMilliseconds(ms);
            }

            return Outcome.FromResult(stage, result, backoff, evaluation.Summary);
        }
        catch (OperationCanceledException) when (registration.Token.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            return new Outcome(OutcomeKind.Retry);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            return Outcome.Failed(stage, e, task.Name);
        }
    }

    private static void Apply(HandlerContext context, StageExecution stage, TaskExecution task, RunTask message, Outcome outcome)
    {
        var execution = context.Execution;
        switch (outcome.Kind)
        {
            case OutcomeKind.Retry:
                context.Push(message);
                return;
            case OutcomeKind.Pause:
                task.Status = ExecutionStatus.Paused;
                for (StageExecution? s = stage; s is not null; s = execution.Parent(s))
                {
                    if (s.Status == ExecutionStatus.Running)
                    {
                        s.Status = ExecutionStatus.Paused;
                    }
                }

                return;
        }

        if (outcome.Result is { } result)
        {
            Merge(stage.Context, result.Context);
            Merge(stage.Outputs, result.Outputs);
            stage.Outputs.Remove("stageTimeoutMs");
            if (result.Context?["scheduledTime"] is { } scheduled && Core.Json.MizzenJson.AsLong(scheduled) is { } at)
            {
                stage.ScheduledTime = at;
            }
        }

        if (outcome.Summary is not null && StageContextEvaluator.ContainsExpression(stage.Context))
        {
            // The engine's summary replaces a stale one, but failures the task reported itself (evaluateVariables) are kept.
            StageContextEvaluator.RecordSummary(stage.Context, outcome.Summary);
            if (outcome.Result?.Context?[StageContextEvaluator.SummaryKey] is JsonObject { Count: > 0 } fromTask)
            {
                if (stage.Context[StageContextEvaluator.SummaryKey] is not JsonObject summary)
                {
                    stage.Context[StageContextEvaluator.SummaryKey] = summary = [];
                }

                Merge(summary, fromTask);
            }
        }

        if (outcome.TaskException is not null)
        {
            task.TaskExceptionDetails = outcome.TaskException;
        }

        if (outcome.Status == ExecutionStatus.Running)
        {
            context.Push(message, outcome.Backoff);
        }
        else
        {
            context.Push(new CompleteTask(execution.Id, stage.Id, task.Id, outcome.Status, outcome.OriginalStatus));
        }
    }

    private static void Merge(JsonObject target, JsonObject? source)
    {
        if (source is null)
        {
            return;
        }

        foreach (var (key, value) in source.ToList())
        {
            target[key] = value?.DeepClone();
        }
    }

    private enum OutcomeKind
    {
        Drop,
        Executed,
        Retry,
        Pause,
    }

    private sealed record Outcome(OutcomeKind Kind)
    {
        public static Outcome Drop { get; } = new(OutcomeKind.Drop);

        public ExecutionStatus Status { get; init; }
        public ExecutionStatus OriginalStatus { get; init; }
        public TaskResult? Result { get; init; }
        public TimeSpan Backoff { get; init; }
        public Core.Expressions.ExpressionEvaluationSummary? Summary { get; init; }
        public JsonObject? TaskException { get; init; }

        public static Outcome Complete(ExecutionStatus status, ExecutionStatus original, TaskResult? result) =>
            new(OutcomeKind.Executed) { Status = status, OriginalStatus = original, Result = result };

        public static Outcome FromResult(StageExecution stage, TaskResult result, TimeSpan backoff, Core.Expressions.ExpressionEvaluationSummary summary)
        {
            var status = result.Status switch
            {
                ExecutionStatus.Terminal => StageStatusRules.FailureStatus(stage),
                ExecutionStatus.Canceled => StageStatusRules.FailureStatus(stage, ExecutionStatus.Canceled),
                var other => other,
            };
            return new Outcome(OutcomeKind.Executed) { Status = status, OriginalStatus = result.Status, Result = result, Backoff = backoff, Summary = summary };
        }

        public static Outcome Failed(StageExecution stage, Exception e, string taskName)
        {
            var exception = TaskFailure.ExceptionJson(
                e is TimeoutException ? "Task timed out" : "Unexpected Task Failure", [e.Message], e.GetType().Name, taskName);
            return new Outcome(OutcomeKind.Executed)
            {
                Status = StageStatusRules.FailureStatus(stage),
                OriginalStatus = ExecutionStatus.Terminal,
                Result = new TaskResult(ExecutionStatus.Terminal, new JsonObject { ["exception"] = exception }),
                TaskException = exception.DeepClone().AsObject(),
            };
        }
    }
}

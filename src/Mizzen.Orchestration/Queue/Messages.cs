using System.Text.Json.Serialization;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Queue;

/// <summary>
/// The engine's messages (Orca's keiko message set). Each names what it acts on; the handler decides from the
/// stored state, so delivering a message twice is harmless. The payload is the record's JSON, so identical
/// messages are identical text and the queue stores them once.
/// </summary>
public abstract record EngineMessage(string ExecutionId)
{
    [JsonIgnore]
    public abstract string Kind { get; }
}

public sealed record StartExecution(string ExecutionId) : EngineMessage(ExecutionId)
{
    public override string Kind => "startExecution";
}

public sealed record StartStage(string ExecutionId, string StageId) : EngineMessage(ExecutionId)
{
    public override string Kind => "startStage";
}

/// <summary>
/// Evaluates a stage's context and <c>stageEnabled</c> outside any transaction (expressions may fetch URLs), then starts
/// the stage with the result if nothing changed meanwhile. Never handled inline: it always goes through the queue.
/// </summary>
public sealed record EvaluateStage(string ExecutionId, string StageId) : EngineMessage(ExecutionId)
{
    public override string Kind => "evaluateStage";
}

public sealed record StartTask(string ExecutionId, string StageId, string TaskId) : EngineMessage(ExecutionId)
{
    public override string Kind => "startTask";
}

public sealed record RunTask(string ExecutionId, string StageId, string TaskId) : EngineMessage(ExecutionId)
{
    public override string Kind => "runTask";
}

public sealed record CompleteTask(string ExecutionId, string StageId, string TaskId, ExecutionStatus Status, ExecutionStatus OriginalStatus)
    : EngineMessage(ExecutionId)
{
    public override string Kind => "completeTask";
}

public sealed record CompleteStage(string ExecutionId, string StageId) : EngineMessage(ExecutionId)
{
    public override string Kind => "completeStage";
}

public sealed record SkipStage(string ExecutionId, string StageId) : EngineMessage(ExecutionId)
{
    public override string Kind => "skipStage";
}

public sealed record ContinueParentStage(string ExecutionId, string StageId, SyntheticStageOwner Phase) : EngineMessage(ExecutionId)
{
    public override string Kind => "continueParentStage";
}

public sealed record CompleteExecution(string ExecutionId) : EngineMessage(ExecutionId)
{
    public override string Kind => "completeExecution";
}

public sealed record CancelStage(string ExecutionId, string StageId) : EngineMessage(ExecutionId)
{
    public override string Kind => "cancelStage";
}

/// <summary>Makes every running task run now, so a cancel, pause, judgment or skip takes effect at once.</summary>
public sealed record RescheduleExecution(string ExecutionId) : EngineMessage(ExecutionId)
{
    public override string Kind => "rescheduleExecution";
}

public sealed record RestartStage(string ExecutionId, string StageId, string User) : EngineMessage(ExecutionId)
{
    public override string Kind => "restartStage";
}

/// <summary>A run of <paramref name="PipelineConfigId"/> ended: start the next queued one (purge: the newest, cancelling the rest).</summary>
public sealed record StartWaitingExecutions(string ExecutionId, string PipelineConfigId, bool Purge) : EngineMessage(ExecutionId)
{
    public override string Kind => "startWaitingExecutions";
}

/// <summary>
/// A pipeline run ended (pushed in the transaction that ended it): the <see cref="Engine.IExecutionFinishedListener"/>s (pipeline
/// triggers of other pipelines) are told, outside any transaction, and the message is removed only after they all returned, so a
/// crash in between tells them again; they must be idempotent.
/// </summary>
public sealed record ExecutionFinished(string ExecutionId) : EngineMessage(ExecutionId)
{
    public override string Kind => "executionFinished";
}

/// <summary>
/// A lifecycle event of a run or one of its stages (<c>pipeline.starting</c>, <c>stage.complete</c> ... see
/// <see cref="Engine.LifecycleEvents"/>), pushed in the transaction that made the change, and only when the run or that stage
/// has <c>notifications</c>. The <see cref="Engine.IExecutionLifecycleListener"/>s are told outside any transaction; a failing
/// listener is retried with backoff and, after the last attempt, the message is dropped with a log: it never fails the run.
/// <paramref name="At"/> (epoch ms of the change) tells two occurrences apart (a restarted stage starts again) and keeps a
/// redelivered message's <see cref="Engine.ExecutionLifecycleEvent.Key"/> the same.
/// </summary>
public sealed record NotifyLifecycle(string ExecutionId, string Event, string? StageId, long At) : EngineMessage(ExecutionId)
{
    public override string Kind => "notifyLifecycle";
}

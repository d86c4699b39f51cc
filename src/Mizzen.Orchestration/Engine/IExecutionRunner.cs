using System.Text.Json.Nodes;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Starts and steers runs. Every call records who did it. Used by the REST API, the CLI (through the API),
/// triggers, and stages that start other pipelines.
/// </summary>
public interface IExecutionRunner
{
    /// <summary>
    /// Stores a new execution of <paramref name="config"/> with every stage NOT_STARTED and enqueues its start in the
    /// same transaction. <paramref name="trigger"/> is Spinnaker's trigger map (<c>type</c>, <c>parameters</c>, <c>artifacts</c> ...);
    /// parameters missing from it take their <c>parameterConfig</c> default; a required one without default is a validation error.
    /// </summary>
    Task<PipelineExecution> StartAsync(PipelineConfig config, JsonObject trigger, string user, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="StartAsync(PipelineConfig, JsonObject, string, CancellationToken)"/>, and <paramref name="alongside"/> writes in the same
    /// transaction: it is given the run that is stored and whether this call created it (false: the trigger's correlation id found
    /// the run an earlier call stored). A trigger records its outcome this way, so the outcome is stored with the run, or not at all,
    /// without a commit of its own.
    /// </summary>
    Task<PipelineExecution> StartAsync(
        PipelineConfig config, JsonObject trigger, string user, Action<Persistence.IStoreTransaction, PipelineExecution, bool> alongside, CancellationToken cancellationToken);

    /// <summary>Runs an ad-hoc orchestration (an ORCHESTRATION execution) of the given stages, e.g. a resize from the API.</summary>
    Task<PipelineExecution> StartOrchestrationAsync(string application, string description, JsonArray stages, string user, CancellationToken cancellationToken);

    Task CancelAsync(string executionId, string user, string? reason, CancellationToken cancellationToken);

    Task PauseAsync(string executionId, string user, CancellationToken cancellationToken);

    Task ResumeAsync(string executionId, string user, CancellationToken cancellationToken);

    Task RestartStageAsync(string executionId, string stageId, string user, CancellationToken cancellationToken);

    /// <summary>
    /// Merges <paramref name="patch"/> into a stage's context (a judgment <c>{judgmentStatus, judgmentInput}</c>,
    /// <c>{manualSkip: true}</c>, <c>{skipRemainingWait: true}</c>), records who did it, and makes the change take effect now.
    /// </summary>
    Task<StageExecution> UpdateStageAsync(string executionId, string stageId, JsonObject patch, string user, CancellationToken cancellationToken);

    // The overloads below take an `alongside` that writes in the operation's own transaction, after the change and before the commit
    // (it is not called when the change is refused). The audit log records who did what this way (IStoreTransaction.AppendAudit), so
    // the change and its record commit together or not at all. An implementation that cannot run it in the same transaction throws.

    /// <summary><see cref="StartOrchestrationAsync(string, string, JsonArray, string, CancellationToken)"/>, with <paramref name="alongside"/> as for a pipeline's start.</summary>
    Task<PipelineExecution> StartOrchestrationAsync(
        string application, string description, JsonArray stages, string user, Action<Persistence.IStoreTransaction, PipelineExecution, bool> alongside,
        CancellationToken cancellationToken) => throw NotTransactional();

    /// <summary><see cref="CancelAsync(string, string, string?, CancellationToken)"/>; <paramref name="alongside"/> runs in its transaction.</summary>
    Task CancelAsync(string executionId, string user, string? reason, Action<Persistence.IStoreTransaction> alongside, CancellationToken cancellationToken) =>
        throw NotTransactional();

    /// <summary><see cref="PauseAsync(string, string, CancellationToken)"/>; <paramref name="alongside"/> runs in its transaction.</summary>
    Task PauseAsync(string executionId, string user, Action<Persistence.IStoreTransaction> alongside, CancellationToken cancellationToken) =>
        throw NotTransactional();

    /// <summary><see cref="ResumeAsync(string, string, CancellationToken)"/>; <paramref name="alongside"/> runs in its transaction.</summary>
    Task ResumeAsync(string executionId, string user, Action<Persistence.IStoreTransaction> alongside, CancellationToken cancellationToken) =>
        throw NotTransactional();

    /// <summary><see cref="RestartStageAsync(string, string, string, CancellationToken)"/>; <paramref name="alongside"/> runs in its transaction.</summary>
    Task RestartStageAsync(string executionId, string stageId, string user, Action<Persistence.IStoreTransaction> alongside, CancellationToken cancellationToken) =>
        throw NotTransactional();

    /// <summary><see cref="UpdateStageAsync(string, string, JsonObject, string, CancellationToken)"/>; <paramref name="alongside"/> runs in its transaction.</summary>
    Task<StageExecution> UpdateStageAsync(
        string executionId, string stageId, JsonObject patch, string user, Action<Persistence.IStoreTransaction> alongside, CancellationToken cancellationToken) =>
        throw NotTransactional();

    private NotSupportedException NotTransactional() =>
        new($"{GetType().Name} cannot run work alongside this operation in the operation's own transaction");
}

using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;
using Mizzen.Persistence;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Queue;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Handles <see cref="EvaluateStage"/> as <see cref="RunTaskProcessor"/> handles a task: the stage's expressions are
/// evaluated against a snapshot read outside any transaction (a <c>#fromUrl</c> that takes seconds holds no lock and
/// stalls no other run), then one transaction checks that what the evaluation read still stands and starts the stage
/// with the result. If something changed (the run was cancelled, the stage skipped or restarted, an upstream stage
/// re-ran), the evaluation is discarded and <c>startStage</c> decides again from the current state.
/// The message is acknowledged in that same transaction: a crash before it commits leaves the message to be
/// delivered again (the evaluation is repeated, nothing was applied); a second delivery after it commits finds the
/// stage started and does nothing.
/// </summary>
public sealed class StageEvaluationProcessor(IStore store, IExecutionStore executions, StageStarter starter, INodeAffinity affinity, TimeProvider time)
{
    public async Task<(PipelineExecution? Execution, IReadOnlyList<Func<CancellationToken, Task>> AfterCommit)> ProcessAsync(
        QueueMessage queued, EvaluateStage message, IReadOnlyDictionary<string, Handlers.IMessageHandler> handlers, CancellationToken stoppingToken)
    {
        var snapshot = await executions.GetAsync(message.ExecutionId, stoppingToken);
        var snapshotStage = snapshot?.StageById(message.StageId);
        StageEvaluation? evaluation = null;
        if (snapshot is not null && snapshotStage is not null && MayStart(snapshot, snapshotStage))
        {
            evaluation = starter.Evaluate(snapshot, snapshotStage);
        }

        await using var transaction = await store.BeginAsync(stoppingToken);
        var execution = await transaction.LoadExecutionAsync(message.ExecutionId, stoppingToken);
        transaction.Ack(queued);
        if (execution is null)
        {
            await transaction.CommitAsync(stoppingToken);
            return (null, []);
        }

        var inline = new InlineMessages(handlers, transaction, execution, time, affinity);
        var context = inline.NewContext();
        var stage = execution.StageById(message.StageId);
        if (evaluation is not null && stage is not null && MayStart(execution, stage) && StillStands(snapshot!, snapshotStage!, execution, stage))
        {
            starter.Start(context, stage, evaluation);
        }
        else
        {
            // Nothing to apply, or applying would use stale input: let startStage decide from the state as it is now.
            context.Push(new StartStage(message.ExecutionId, message.StageId));
        }

        await inline.DrainAsync(stoppingToken);
        await transaction.CommitAsync(stoppingToken);
        return (execution, [.. inline.AfterCommitActions]);
    }

    private static bool MayStart(PipelineExecution execution, StageExecution stage) =>
        !execution.Canceled && !execution.Status.IsComplete()
        && StageStatusRules.IsStartable(execution, stage) && !StageStatusRules.IsBlocked(execution, stage);

    /// <summary>
    /// The inputs the evaluation read are the ones the stage would be evaluated against now: the same raw context
    /// (and parent context, for synthetic stages) and the same upstream stages, finished at the same times
    /// (a restarted upstream stage that finished again has a later end time and maybe other outputs).
    /// </summary>
    private static bool StillStands(PipelineExecution snapshot, StageExecution snapshotStage, PipelineExecution execution, StageExecution stage)
    {
        if (!JsonNode.DeepEquals(snapshotStage.Context, stage.Context))
        {
            return false;
        }

        if (stage.ParentStageId is { } parentId
            && !JsonNode.DeepEquals(snapshot.StageById(parentId)?.Context, execution.StageById(parentId)?.Context))
        {
            return false;
        }

        var before = snapshot.Upstream(snapshotStage).ToDictionary(s => s.Id, s => s.EndTime, StringComparer.Ordinal);
        var now = execution.Upstream(stage).ToList();
        return now.Count == before.Count && now.TrueForAll(s => before.TryGetValue(s.Id, out var endTime) && endTime == s.EndTime);
    }
}

using System.Text.Json.Nodes;
using Mizzen.Canary.Runs;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Canary.Stage;

/// <summary>
/// Orca's <c>AggregateCanaryResultsTask</c>: the final verdict from the last interval's score only
/// (<see cref="CanaryRunVerdict.Final"/>). Writes <c>canaryScoreMessage</c>; below pass (or at or below marginal) is
/// TERMINAL (FAILED_CONTINUE with <c>continuePipeline</c>) with the score, the thresholds and the worst metrics.
/// </summary>
public sealed class AggregateCanaryResultsTask : ITask
{
    public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        KayentaCanaryContext canary;
        try
        {
            canary = KayentaCanaryContext.Read(context.Context);
        }
        catch (CanaryException e)
        {
            return Task.FromResult(TaskResult.Terminal(e.Message));
        }

        var results = context.Context[CanaryIntervalRecord.ResultsKey] as JsonArray ?? [];
        var scores = CanaryIntervalRecord.Scores(results);
        var verdict = CanaryRunVerdict.Final(scores, canary.Thresholds.Pass, canary.Thresholds.Marginal);
        var configId = context.Context["canaryConfigId"].AsString() ?? canary.ConfigId ?? canary.ConfigName ?? string.Empty;
        var canaryExecutionId = CanaryExecutionId.For(context.Execution.Id, context.Stage.Id);
        var now = context.Time.GetUtcNow();
        var updates = new JsonObject();
        if (verdict.Succeeded)
        {
            var outputs = CanaryStageOutputs.Build(configId, canaryExecutionId, scores, verdict.Message, now);
            CanaryStageOutputs.CopyInto(updates, outputs);
            return Task.FromResult(TaskResult.Succeeded(updates, outputs));
        }

        var last = results.Count > 0 ? results[^1] as JsonObject : null;
        var worst = (last?["worstMetrics"] as JsonArray ?? []).Select(m => m.AsString()).OfType<string>().ToList();
        var message = CanaryFailureMessage.Describe(verdict.Message, scores.Count > 0 ? scores[^1] : double.NaN, canary.Thresholds, null);
        if (worst.Count > 0)
        {
            message += $" Worst metrics: {string.Join("; ", worst)}.";
        }

        var failedOutputs = CanaryStageOutputs.Build(configId, canaryExecutionId, scores, message, now);
        return Task.FromResult(CanaryStageOutputs.Failure(context.Stage, message, updates, failedOutputs));
    }
}

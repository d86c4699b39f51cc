using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Canary.Reports;
using Mizzen.Canary.Runs;
using Mizzen.Canary.Storage;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Canary.Stage;

/// <summary>
/// Orca's <c>RunCanaryIntervalsStage</c> + <c>MonitorKayentaCanaryTask</c> in one re-invoked task. The first call plans
/// the intervals (<see cref="CanaryIntervalPlanner"/>, "now" from the <see cref="TimeProvider"/>) and keeps the plan in
/// the context; each later call judges the next interval once its window has ended (a real-time interval) or at once
/// (retrospective), stores its report, and stops the run when the score is at or below marginal.
/// </summary>
public sealed partial class RunCanaryIntervalsTask(
    CanaryRunner runner, CanaryConfigResolver configs, ICanaryReportStore reports, ILogger<RunCanaryIntervalsTask> logger) : ITask
{
    /// <summary>Longest sleep between checks while an interval's window is still open.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    /// <summary>Longest wait after an interval's window before it is judged (see <see cref="Due"/>).</summary>
    public static readonly TimeSpan MaxSettle = TimeSpan.FromSeconds(30);

    /// <summary>Wait before retrying a metric store that was unavailable.</summary>
    public static readonly TimeSpan RetryBackoff = TimeSpan.FromSeconds(15);

    public bool TimeoutOverridableByStage => true;

    /// <summary>The whole run (warm-up and lifetime) plus Orca's 12 h monitor allowance for slow metric stores.</summary>
    public TimeSpan? Timeout(TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var settings = KayentaCanaryContext.Read(context.Context).Settings;
            return (settings.LifetimeDuration ?? TimeSpan.Zero) + TimeSpan.FromMinutes(settings.BeginCanaryAnalysisAfterMins) + TimeSpan.FromHours(12);
        }
        catch (CanaryException)
        {
            return TimeSpan.FromHours(12);
        }
    }

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var updates = new JsonObject();
        try
        {
            var canary = KayentaCanaryContext.Read(context.Context);
            var now = context.Time.GetUtcNow();
            var plan = CanaryIntervalRecord.ReadPlan(context.Context[CanaryIntervalRecord.PlanKey]);
            if (plan is null)
            {
                var planned = CanaryIntervalPlanner.Plan(canary.Settings, now);

                // Fail before waiting out the first interval when the config does not exist.
                await configs.ResolveAsync(context.Execution.Application, canary.ConfigId, canary.ConfigName, cancellationToken);
                plan = planned.Intervals;
                updates[CanaryIntervalRecord.PlanKey] = CanaryIntervalRecord.WritePlan(planned);
                LogPlanned(logger, context.Execution.Id, context.Stage.Id, plan.Count, planned.Interval.TotalMinutes);
            }

            var results = context.Context[CanaryIntervalRecord.ResultsKey]?.DeepClone() as JsonArray ?? [];
            if (results.Count >= plan.Count)
            {
                return TaskResult.Succeeded(updates);
            }

            var interval = plan[results.Count];
            if (Due(interval, canary) is { } due && due > now)
            {
                return Waiting(updates, due - now);
            }

            return await JudgeAsync(context, canary, plan, interval, results, updates, cancellationToken);
        }
        catch (MetricsFetchException e) when (e.IsTransient)
        {
            LogFetchRetry(logger, context.Execution.Id, context.Stage.Id, e.Message);
            return new TaskResult(ExecutionStatus.Running, updates) { BackoffOverride = RetryBackoff };
        }
        catch (CanaryException e)
        {
            return TaskResult.Terminal(e.Message, updates);
        }
    }

    private async Task<TaskResult> JudgeAsync(
        TaskContext context, KayentaCanaryContext canary, IReadOnlyList<CanaryInterval> plan, CanaryInterval interval, JsonArray results, JsonObject updates, CancellationToken cancellationToken)
    {
        var stored = await configs.ResolveAsync(context.Execution.Application, canary.ConfigId, canary.ConfigName, cancellationToken);
        var scopes = CanaryScopes.Resolve(canary, context.Execution, context.Stage, interval);
        var result = await runner.RunIntervalAsync(stored.Config, scopes, canary.Thresholds, interval, cancellationToken);
        var canaryExecutionId = CanaryExecutionId.For(context.Execution.Id, context.Stage.Id);
        var report = CanaryReportJson.ToJson(result.Report);
        report["interval"] = CanaryIntervalJson.Write(interval);
        await reports.SaveAsync(canaryExecutionId, interval.Number, report, cancellationToken);
        LogJudged(logger, context.Execution.Id, context.Stage.Id, interval.Number, plan.Count, result.Judgement.Score);

        var now = context.Time.GetUtcNow();
        results.Add(CanaryIntervalJson.Summary(interval, result, now));
        updates[CanaryIntervalRecord.ResultsKey] = results;
        updates["canaryConfigId"] = stored.Id;
        updates[CanaryStageOutputs.CanaryExecutionIdKey] = canaryExecutionId;
        var scores = CanaryIntervalRecord.Scores(results);
        if (!result.Continue.Succeeded)
        {
            var message = CanaryFailureMessage.Describe(
                $"Canary score is not above the marginal score threshold at interval {interval.Number} of {plan.Count}.", result.Judgement.Score, canary.Thresholds, result.Report);
            var outputs = CanaryStageOutputs.Build(stored.Id, canaryExecutionId, scores, message, now);
            return CanaryStageOutputs.Failure(context.Stage, message, updates, outputs);
        }

        var progress = CanaryStageOutputs.Build(stored.Id, canaryExecutionId, scores, null, now);
        CanaryStageOutputs.CopyInto(updates, progress);
        if (results.Count >= plan.Count)
        {
            return TaskResult.Succeeded(updates, progress);
        }

        var next = Due(plan[results.Count], canary) is { } due && due > now ? due - now : TimeSpan.Zero;
        return Waiting(updates, next) with { Outputs = progress };
    }

    /// <summary>
    /// When a real-time interval may be judged: one metric step (at most <see cref="MaxSettle"/>) after its window ends, so the
    /// store has closed the window's last step; judged at the very end, that step is still empty and the interval loses a point.
    /// </summary>
    private static DateTimeOffset? Due(CanaryInterval interval, KayentaCanaryContext canary)
        => interval.NotBefore is { } end ? end + TimeSpan.FromSeconds(Math.Min(canary.Settings.StepSeconds, MaxSettle.TotalSeconds)) : null;

    private static TaskResult Waiting(JsonObject updates, TimeSpan remaining)
        => new(ExecutionStatus.Running, updates) { BackoffOverride = remaining < MaxBackoff ? remaining : MaxBackoff };

    [LoggerMessage(EventId = 4210, Level = LogLevel.Information, Message = "Canary stage {StageId} of execution {ExecutionId} planned {Count} interval(s) of {Minutes} min")]
    private static partial void LogPlanned(ILogger logger, string executionId, string stageId, int count, double minutes);

    [LoggerMessage(EventId = 4211, Level = LogLevel.Information, Message = "Canary stage {StageId} of execution {ExecutionId} judged interval {Interval} of {Count}: score {Score}")]
    private static partial void LogJudged(ILogger logger, string executionId, string stageId, int interval, int count, double score);

    [LoggerMessage(EventId = 4212, Level = LogLevel.Warning, Message = "Canary stage {StageId} of execution {ExecutionId} will retry a metric fetch: {Reason}")]
    private static partial void LogFetchRetry(ILogger logger, string executionId, string stageId, string reason);
}

using Mizzen.Core.Model;
using Mizzen.Engine.Benchmarks.Reporting;

namespace Mizzen.Engine.Benchmarks.Throughput;

/// <summary>What one engine run at one concurrency level measured. Times from the store are epoch milliseconds.</summary>
internal sealed record ThroughputResult(
    int Concurrency,
    int Runs,
    int StagesPerRun,
    int Ended,
    int Succeeded,
    double SubmitSeconds,
    double WallSeconds,
    double ObservedSeconds,
    long MessagesHandled,
    long ClaimTransactions,
    long EmptyClaims,
    Percentiles StageGapsMs,
    Percentiles RunDurationsMs,
    Percentiles StageDurationsMs,
    IReadOnlyList<MessageHandling> Handling,
    Percentiles UnloadedStageGapsMs)
{
    public long Stages => (long)Succeeded * StagesPerRun;

    public double StagesPerSecond => Stages / WallSeconds;

    /// <summary>Each handled message is one write transaction (RunTask also reads the run once outside it).</summary>
    public double MessageTransactionsPerSecond => MessagesHandled / WallSeconds;

    /// <summary>Every write transaction: handled messages, claims (one per claim batch) and the run starts.</summary>
    public double AllWriteTransactionsPerSecond => (MessagesHandled + ClaimTransactions + Runs) / WallSeconds;

    public double MessagesPerStage => Stages == 0 ? double.NaN : (double)MessagesHandled / Stages;

    public static ThroughputResult From(
        BenchOptions options, int concurrency, IReadOnlyList<PipelineExecution> runs, int ended, long startedAtMs, double submitSeconds,
        double observedSeconds, long messages, long claims, long emptyClaims, IReadOnlyList<MessageHandling> handling, Percentiles unloadedGaps)
    {
        var succeeded = runs.Where(r => r.Status == ExecutionStatus.Succeeded).ToList();
        var lastEnd = runs.Select(r => r.EndTime ?? 0).DefaultIfEmpty(startedAtMs).Max();
        var gaps = new List<double>();
        var stageDurations = new List<double>();
        foreach (var run in succeeded)
        {
            var stages = run.Stages.Where(s => s.StartTime is not null).OrderBy(s => s.StartTime).ThenBy(s => s.EndTime).ToList();
            for (var i = 0; i < stages.Count; i++)
            {
                stageDurations.Add((double)(stages[i].EndTime!.Value - stages[i].StartTime!.Value));
                if (i > 0)
                {
                    gaps.Add((double)(stages[i].StartTime!.Value - stages[i - 1].EndTime!.Value));
                }
            }
        }

        return new ThroughputResult(
            concurrency, options.Runs, options.Stages, ended, succeeded.Count, submitSeconds,
            Math.Max(0.001, (lastEnd - startedAtMs) / 1000.0), observedSeconds, messages, claims, emptyClaims,
            new Percentiles(gaps), new Percentiles(succeeded.Select(r => (double)(r.EndTime!.Value - r.StartTime!.Value))),
            new Percentiles(stageDurations), handling, unloadedGaps);
    }
}

using Mizzen.Engine.Benchmarks.ListQueries;
using Mizzen.Engine.Benchmarks.Throughput;

namespace Mizzen.Engine.Benchmarks.Reporting;

/// <summary>Prints the tables and decides the verdicts.</summary>
internal sealed class BenchReport(TextWriter output)
{
    public IEnumerable<Verdict> Engine(IReadOnlyList<(ThroughputResult Result, double RawBefore, double RawAfter)> levels, string synchronous)
    {
        output.WriteLine($"## 1. Engine throughput (real QueueWorker, SQLite WAL + synchronous={synchronous} for engine and raw baseline, bench.noop stages)");
        output.WriteLine($"After a warm-up of {Throughput.EngineThroughputRun.WarmUpRuns} runs (not counted), wall time = first StartAsync call to the last run's stored endTime. Gaps = next stage's startTime - previous stage's endTime");
        output.WriteLine("(stored timestamps are whole epoch milliseconds, so a gap of 0 means < 1 ms). Raw = mean of the baseline before and after.");
        var table = new ResultTable("concurrency", "runs ok", "wall s", "stages/s", "msgs/stage", "msg tx/s", "all write tx/s", "raw commits/s",
            "msg tx / raw", "stages/s / raw", "gap p50 ms", "gap p99 ms", "gap max ms", "run p50 ms", "run p99 ms", "submit s",
            "unloaded gap p50", "unloaded gap p99");
        foreach (var (r, before, after) in levels)
        {
            var raw = (before + after) / 2;
            table.Add(r.Concurrency, $"{r.Succeeded}/{r.Runs}", r.WallSeconds, r.StagesPerSecond, r.MessagesPerStage, r.MessageTransactionsPerSecond,
                r.AllWriteTransactionsPerSecond, raw, Percent(r.MessageTransactionsPerSecond / raw), Percent(r.StagesPerSecond / raw),
                r.StageGapsMs.At(50), r.StageGapsMs.At(99), r.StageGapsMs.Max, r.RunDurationsMs.At(50), r.RunDurationsMs.At(99), r.SubmitSeconds,
                r.UnloadedStageGapsMs.At(50), r.UnloadedStageGapsMs.At(99));
        }

        output.WriteLine(table);
        output.WriteLine($"Gap columns: all runs started in one burst, so a stage waits behind every other run's messages (queueing). 'Unloaded' = {Throughput.EngineThroughputRun.SequentialRunCount} runs one at a time.");
        output.WriteLine();
        var best = levels.MaxBy(l => l.Result.StagesPerSecond);
        output.WriteLine($"Messages by kind at concurrency {best.Result.Concurrency} (engine's own handling-time histogram; claim transactions: {best.Result.ClaimTransactions:N0}, of which empty: {best.Result.EmptyClaims:N0}):");
        var kinds = new ResultTable("kind", "handled", "mean ms", "per stage");
        foreach (var kind in best.Result.Handling)
        {
            kinds.Add(kind.Kind, kind.Count, kind.MeanMs, (double)kind.Count / Math.Max(1, best.Result.Stages));
        }

        output.WriteLine(kinds);
        var judged = levels.FirstOrDefault(l => l.Result.Concurrency == new Orchestration.Engine.EngineOptions().Concurrency);
        judged = judged.Result is null ? best : judged;
        var rawJudged = (judged.RawBefore + judged.RawAfter) / 2;
        var result = judged.Result;
        var allOk = levels.All(l => l.Result.Succeeded == l.Result.Runs);
        yield return new Verdict("engine >= 1,000 stages/s", allOk && result.StagesPerSecond >= BenchDriver.StagesPerSecondGoal,
            $"{result.StagesPerSecond:N0} stages/s at concurrency {result.Concurrency} (best {best.Result.StagesPerSecond:N0} at {best.Result.Concurrency})"
            + (allOk ? "" : "; some runs did not SUCCEED"));
        yield return new Verdict("engine message tx/s >= 50% of raw commits/s", result.MessageTransactionsPerSecond / rawJudged >= BenchDriver.RawRatioGoal,
            $"{result.MessageTransactionsPerSecond:N0} msg tx/s / {rawJudged:N0} raw commits/s = {Percent(result.MessageTransactionsPerSecond / rawJudged)}"
            + $" ({result.MessagesPerStage:N1} messages per stage; per stage that is {Percent(result.StagesPerSecond / rawJudged)} of raw)");
    }

    public void Profile(IReadOnlyList<(string Step, Percentiles Microseconds)> steps)
    {
        output.WriteLine("## 1b. Where a message's time goes (Stopwatch sections, one 10-stage run in the store, single caller)");
        var table = new ResultTable("step", "p50 µs", "mean µs", "p99 µs");
        foreach (var (step, us) in steps)
        {
            if (us.Count == 0)
            {
                table.Add(step, "", "", "");
                continue;
            }

            table.Add(step, us.At(50), us.Mean, us.At(99));
        }

        output.WriteLine(table);
    }

    public IEnumerable<Verdict> List(ListResult list)
    {
        output.WriteLine($"## 2. IExecutionStore.ListAsync with {list.Stored:N0} stored runs (the call behind GET /applications/{{app}}/pipelines?limit=50)");
        output.WriteLine($"Seeded in {list.SeedSeconds:N1} s ({list.Stored / list.SeedSeconds:N0} runs/s, batches of 1,000 per transaction); database file {list.DatabaseMegabytes:N1} MB.");
        var table = new ResultTable("query (limit 50)", "returned", "calls", "p50 ms", "p95 ms", "p99 ms", "max ms");
        foreach (var t in list.Timings)
        {
            table.Add(t.Name, t.Returned, t.Milliseconds.Count, t.Milliseconds.At(50), t.Milliseconds.At(95), t.Milliseconds.At(99), t.Milliseconds.Max);
        }

        output.WriteLine(table);
        var experiment = list.NameIndex;
        output.WriteLine("Proposed fix tried on this throw-away database (not in the store): " + ListQueries.NameIndexExperiment.Index);
        output.WriteLine($"  plan before: {experiment.PlanBefore}");
        output.WriteLine($"  plan after:  {experiment.PlanAfter}  (index adds {experiment.ExtraMegabytes:N1} MB)");
        var after = new ResultTable("query (limit 50), with the index", "returned", "calls", "p50 ms", "p95 ms", "p99 ms", "max ms");
        foreach (var t in experiment.Timings)
        {
            after.Add(t.Name, t.Returned, t.Milliseconds.Count, t.Milliseconds.At(50), t.Milliseconds.At(95), t.Milliseconds.At(99), t.Milliseconds.Max);
        }

        output.WriteLine(after);
        // The endpoint itself, with and without a status filter; the pipeline-name filter is judged on its own line.
        yield return ListVerdict("list p95 <= 20 ms (app, and app + status filters)", list.Timings.Where(t => !t.Name.Contains("pipeline", StringComparison.Ordinal)));
        yield return ListVerdict("list p95 <= 20 ms (app + pipeline-name filter)", list.Timings.Where(t => t.Name.Contains("pipeline", StringComparison.Ordinal)));
    }

    private static Verdict ListVerdict(string goal, IEnumerable<ListQueries.QueryTiming> timings)
    {
        var all = timings.ToList();
        var slow = all.Where(t => t.Milliseconds.At(95) > BenchDriver.ListP95GoalMs).ToList();
        var worst = all.MaxBy(t => t.Milliseconds.At(95))!;
        return new Verdict(goal, slow.Count == 0,
            slow.Count == 0
                ? $"worst p95 {worst.Milliseconds.At(95):N1} ms ({worst.Name})"
                : "over the goal: " + string.Join("; ", slow.Select(t => $"{t.Name} p95 {t.Milliseconds.At(95):N1} ms")) + " (see the index experiment)");
    }

    public Verdict Memory(IReadOnlyList<MemorySample> samples, ListResult list)
    {
        output.WriteLine("## 3. Resident memory (VmRSS as the process stands; managed heap after a forced full GC)");
        var table = new ResultTable("moment", "RSS MB", "managed heap MB");
        foreach (var s in samples)
        {
            table.Add(s.Moment, s.ResidentMb, s.ManagedHeapMb);
        }

        output.WriteLine(table);
        var last = samples[^1];
        return new Verdict($"store holds no runs in memory (managed heap <= {BenchDriver.ManagedHeapGoalMb} MB with {list.Stored:N0} runs stored)",
            last.ManagedHeapMb <= BenchDriver.ManagedHeapGoalMb,
            $"heap {last.ManagedHeapMb:N1} MB, RSS {last.ResidentMb:N0} MB vs database {list.DatabaseMegabytes:N0} MB");
    }

    private static string Percent(double ratio) => ratio.ToString("P0", System.Globalization.CultureInfo.InvariantCulture);
}

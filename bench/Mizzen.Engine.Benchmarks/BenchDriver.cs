using Mizzen.Engine.Benchmarks.ListQueries;
using Mizzen.Engine.Benchmarks.Reporting;
using Mizzen.Engine.Benchmarks.Throughput;

namespace Mizzen.Engine.Benchmarks;

/// <summary>Runs the three measurements in order and prints a table per goal, then one verdict line per goal.</summary>
internal sealed class BenchDriver(BenchOptions options, TextWriter output)
{
    public const double StagesPerSecondGoal = 1_000;
    public const double RawRatioGoal = 0.5;
    public const double ListP95GoalMs = 20;
    public const double ManagedHeapGoalMb = 64;

    /// <summary>Every measured run ended SUCCEEDED (what <c>--quick</c> checks; its sizes are too small to judge the goals).</summary>
    public bool AllRunsSucceeded { get; private set; }

    public async Task<IReadOnlyList<Verdict>> RunAsync(CancellationToken cancellationToken)
    {
        var memory = new List<MemorySample> { ResidentMemory.Sample("process start") };
        output.WriteLine($"Mizzen engine benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average before: {LoadAverage()}");
        output.WriteLine($"runs {options.Runs} x {options.Stages} stages, concurrency {string.Join(",", options.Concurrency)}, stored {options.Stored:N0}, temp {options.TempRoot}{(options.Quick ? " (quick)" : "")}");
        output.WriteLine();

        var engine = new List<(ThroughputResult Result, double RawBefore, double RawAfter)>();
        foreach (var concurrency in options.Concurrency)
        {
            var rawBefore = Raw();
            var result = await EngineThroughputRun.RunAsync(options, concurrency, engine.Count == 0 ? memory.Add : null, cancellationToken);
            var rawAfter = Raw();
            engine.Add((result, rawBefore, rawAfter));
            output.WriteLine($"  concurrency {concurrency}: {result.Succeeded}/{result.Runs} runs SUCCEEDED in {result.WallSeconds:N2} s");
            memory.Add(ResidentMemory.Sample($"after the engine run at concurrency {concurrency} (its services disposed)"));
        }

        var profile = await Profiling.TransactionCostProfile.RunAsync(options, options.Quick ? 300 : 2_000, cancellationToken);
        output.WriteLine($"  seeding {options.Stored:N0} finished runs ...");
        var list = await ListQueryRun.RunAsync(options, cancellationToken);
        memory.Add(list.Memory);
        AllRunsSucceeded = engine.All(e => e.Result.Succeeded == e.Result.Runs);
        output.WriteLine();

        var report = new BenchReport(output);
        var verdicts = new List<Verdict>();
        verdicts.AddRange(report.Engine(engine, options.Synchronous));
        report.Profile(profile);
        verdicts.AddRange(report.List(list));
        verdicts.Add(report.Memory(memory, list));
        output.WriteLine($"Load average after: {LoadAverage()}");
        output.WriteLine();
        output.WriteLine("Verdicts");
        foreach (var verdict in verdicts)
        {
            output.WriteLine("  " + verdict);
        }

        return verdicts;
    }

    private double Raw()
    {
        var folder = BenchServices.NewFolder(options, "raw");
        try
        {
            return RawCommitBaseline.CommitsPerSecond(folder, TimeSpan.FromSeconds(options.RawSeconds), options.Synchronous);
        }
        finally
        {
            BenchServices.DeleteFolder(folder);
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

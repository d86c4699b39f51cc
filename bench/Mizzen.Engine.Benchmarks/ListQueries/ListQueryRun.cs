using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Engine.Benchmarks.Reporting;
using Mizzen.Persistence;
using Mizzen.Persistence.Executions;

namespace Mizzen.Engine.Benchmarks.ListQueries;

/// <summary>
/// The store call behind <c>GET /applications/{app}/pipelines?limit=50</c>, timed on a database holding
/// <see cref="BenchOptions.Stored"/> finished runs of <see cref="BenchOptions.Stages"/> stages each.
/// </summary>
internal static class ListQueryRun
{
    private const string Application = "app";

    public static async Task<ListResult> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var folder = BenchServices.NewFolder(options, "list");
        try
        {
            await using var services = BenchServices.Build(folder, 16);
            var seedClock = Stopwatch.StartNew();
            await new FinishedRunSeeder(services.GetRequiredService<IStore>(), options.Stages)
                .SeedAsync(Application, options.Stored, 1_000, cancellationToken);
            var seedSeconds = seedClock.Elapsed.TotalSeconds;
            var store = services.GetRequiredService<IExecutionStore>();
            var configs = services.GetRequiredService<Mizzen.Persistence.Pipelines.IPipelineConfigStore>();
            foreach (var name in Enumerable.Range(0, 20).Select(i => $"deploy-{i:00}").Append(FinishedRunSeeder.RarePipeline))
            {
                // The seeded runs' configs (ids as FinishedRunSeeder gives them), so the per-pipeline list finds them.
                await configs.SaveAsync(Mizzen.Core.Model.PipelineConfig.Parse(
                    $$"""{"id":"cfg-{{name}}","application":"{{Application}}","name":"{{name}}","stages":[]}"""), "bench", cancellationToken);
            }

            var stored = await store.CountAsync(cancellationToken);
            Checkpoint(folder);

            var queries = new (string Name, ExecutionQuery Query)[]
            {
                ("app, limit 50", new ExecutionQuery { Application = Application, Limit = 50 }),
                ("app, 5 per pipeline (the API's list, 21 pipelines)", new ExecutionQuery { Application = Application, Limit = 5, LimitPerPipeline = true }),
                ("app + status TERMINAL (7%)", new ExecutionQuery { Application = Application, Limit = 50, Statuses = [ExecutionStatus.Terminal] }),
                ("app + status SUCCEEDED,TERMINAL", new ExecutionQuery { Application = Application, Limit = 50, Statuses = [ExecutionStatus.Succeeded, ExecutionStatus.Terminal] }),
                ("app + status RUNNING (none)", new ExecutionQuery { Application = Application, Limit = 50, Statuses = [ExecutionStatus.Running] }),
                ("app + pipeline deploy-07 (5%)", new ExecutionQuery { Application = Application, Limit = 50, PipelineName = "deploy-07" }),
                ($"app + pipeline {FinishedRunSeeder.RarePipeline} (0.1%)", new ExecutionQuery { Application = Application, Limit = 50, PipelineName = FinishedRunSeeder.RarePipeline }),
                ("app + pipeline never-run (0 runs)", new ExecutionQuery { Application = Application, Limit = 50, PipelineName = "never-run" }),
            };
            var timings = new List<QueryTiming>();
            foreach (var (name, query) in queries)
            {
                timings.Add(await TimeAsync(store, name, query, options.ListCalls, cancellationToken));
            }

            var memory = ResidentMemory.Sample($"{stored:N0} runs stored, {timings.Count * options.ListCalls:N0} list calls made");
            var size = FileMegabytes(folder);

            // The proposed fix, measured on this throw-away copy: an index for the pipeline-name filter.
            var planBefore = NameIndexExperiment.Plan(folder);
            NameIndexExperiment.CreateIndex(folder);
            var planAfter = NameIndexExperiment.Plan(folder);
            var withIndex = new List<QueryTiming>();
            foreach (var (name, query) in queries.Where(q => q.Query.PipelineName is not null))
            {
                withIndex.Add(await TimeAsync(store, name, query, options.ListCalls, cancellationToken));
            }

            return new ListResult(stored, seedSeconds, size, timings, memory,
                new NameIndexResult(planBefore, planAfter, FileMegabytes(folder) - size, withIndex));
        }
        finally
        {
            BenchServices.DeleteFolder(folder);
        }
    }

    private static async Task<QueryTiming> TimeAsync(IExecutionStore store, string name, ExecutionQuery query, int calls, CancellationToken cancellationToken)
    {
        var returned = 0;
        for (var i = 0; i < 5; i++)
        {
            returned = (await store.ListAsync(query, cancellationToken)).Count;
        }

        var samples = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await store.ListAsync(query, cancellationToken);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return new QueryTiming(name, returned, new Percentiles(samples));
    }

    /// <summary>Folds the WAL into the main file so the size printed is the database's, not the log's.</summary>
    private static void Checkpoint(string folder)
    {
        using var connection = BenchServices.OpenFile(folder);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        command.ExecuteNonQuery();
    }

    private static double FileMegabytes(string folder) =>
        Directory.EnumerateFiles(folder, "mizzen.db*").Sum(f => new FileInfo(f).Length) / (1024.0 * 1024.0);
}

internal sealed record QueryTiming(string Name, int Returned, Percentiles Milliseconds);

internal sealed record ListResult(
    int Stored, double SeedSeconds, double DatabaseMegabytes, IReadOnlyList<QueryTiming> Timings, MemorySample Memory, NameIndexResult NameIndex);

internal sealed record NameIndexResult(string PlanBefore, string PlanAfter, double ExtraMegabytes, IReadOnlyList<QueryTiming> Timings);

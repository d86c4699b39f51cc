using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mizzen.Core.Model;
using Mizzen.Engine.Benchmarks.NoopStage;
using Mizzen.Engine.Benchmarks.Reporting;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence.Pipelines;
using Mizzen.Persistence.Sqlite;

namespace Mizzen.Engine.Benchmarks.Throughput;

/// <summary>
/// Starts <see cref="BenchOptions.Runs"/> runs of an N-stage <c>bench.noop</c> pipeline in a burst with the real
/// <see cref="QueueWorker"/> running, waits (bounded) until every run has ended, and reads the timings back from the store.
/// </summary>
internal static class EngineThroughputRun
{
    public static async Task<ThroughputResult> RunAsync(BenchOptions options, int concurrency, Action<MemorySample>? onIdle, CancellationToken cancellationToken)
    {
        var folder = BenchServices.NewFolder(options, $"engine-c{concurrency}");
        try
        {
            await using var services = BenchServices.Build(folder, concurrency);
            var config = PipelineConfig.Parse(PipelineJson(options.Stages));
            await services.GetRequiredService<IPipelineConfigStore>().SaveAsync(config, "bench", cancellationToken);
            var runner = services.GetRequiredService<IExecutionRunner>();
            var worker = services.GetServices<IHostedService>().OfType<QueueWorker>().Single();
            await worker.StartAsync(cancellationToken);
            onIdle?.Invoke(ResidentMemory.Sample("engine set up, worker idle"));

            var time = services.GetRequiredService<TimeProvider>();
            var queue = services.GetRequiredService<CountingMessageQueue>();
            var claimsBefore = queue.Claims;
            var emptyBefore = queue.EmptyClaims;
            var startedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < options.Runs; i++)
            {
                await runner.StartAsync(config, [], "bench", cancellationToken);
            }

            var submitSeconds = clock.Elapsed.TotalSeconds;
            var finished = await WaitForEndAsync(services.GetRequiredService<SqliteDatabase>(), options, clock, cancellationToken);
            var observedSeconds = clock.Elapsed.TotalSeconds;
            var claimed = queue.Claimed;
            var claims = queue.Claims - claimsBefore;
            var emptyClaims = queue.EmptyClaims - emptyBefore;
            await worker.StopAsync(cancellationToken);

            var runs = await StoredRuns.ReadAllAsync(services, "app", cancellationToken);
            return ThroughputResult.From(options, concurrency, runs, finished, startedAtMs, submitSeconds, observedSeconds, claimed, claims, emptyClaims,
                MessageHandling.Read(services.GetRequiredService<EngineMetrics>()));
        }
        finally
        {
            BenchServices.DeleteFolder(folder);
        }
    }

    /// <summary>Polls a reader connection every 20 ms; returns how many runs had ended when all had or the time ran out.</summary>
    private static async Task<int> WaitForEndAsync(SqliteDatabase database, BenchOptions options, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM executions WHERE end_time IS NOT NULL";
        while (true)
        {
            var ended = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (ended >= options.Runs || clock.Elapsed > options.Timeout)
            {
                return ended;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private static string PipelineJson(int stages)
    {
        var list = new JsonArray();
        for (var i = 1; i <= stages; i++)
        {
            list.Add(new JsonObject
            {
                ["refId"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["requisiteStageRefIds"] = i == 1 ? new JsonArray() : new JsonArray(JsonValue.Create((i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))),
                ["type"] = BenchNoopStage.TypeName,
                ["name"] = $"noop {i}",
            });
        }

        return new JsonObject { ["application"] = "app", ["name"] = "bench", ["stages"] = list }.ToJsonString();
    }
}

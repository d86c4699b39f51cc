using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mizzen.Core.Model;
using Mizzen.Engine.Benchmarks.NoopStage;
using Mizzen.Engine.Benchmarks.Reporting;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;

namespace Mizzen.Engine.Benchmarks.Throughput;

/// <summary>
/// Starts <see cref="BenchOptions.Runs"/> runs of an N-stage <c>bench.noop</c> pipeline in a burst with the real
/// <see cref="QueueWorker"/> running, waits (bounded) until every run has ended, and reads the timings back from the store.
/// </summary>
internal static class EngineThroughputRun
{
    /// <summary>Runs started one after another (each after the previous ended) for the unloaded stage-to-stage latency.</summary>
    public const int SequentialRunCount = 30;

    /// <summary>Runs before the measured burst, not reported.</summary>
    public const int WarmUpRuns = 50;

    public static async Task<ThroughputResult> RunAsync(BenchOptions options, int concurrency, Action<MemorySample>? onIdle, CancellationToken cancellationToken)
    {
        var folder = BenchServices.NewFolder(options, $"engine-c{concurrency}");
        try
        {
            await using var services = BenchServices.Build(folder, concurrency, options.Synchronous);
            var config = PipelineConfig.Parse(PipelineJson(options.Stages));
            await services.GetRequiredService<IPipelineConfigStore>().SaveAsync(config, "bench", cancellationToken);
            var runner = services.GetRequiredService<IExecutionRunner>();
            var worker = services.GetServices<IHostedService>().OfType<QueueWorker>().Single();
            await worker.StartAsync(cancellationToken);
            onIdle?.Invoke(ResidentMemory.Sample("engine set up, worker idle"));

            // Warm-up (not reported): lets the JIT reach tier 1 so the figures are the steady state, not start-up.
            var warmUp = Math.Min(WarmUpRuns, options.Runs);
            var warmClock = Stopwatch.StartNew();
            for (var i = 0; i < warmUp; i++)
            {
                await runner.StartAsync(config, [], "bench", cancellationToken);
            }

            await WaitForEndAsync(folder, warmUp, options, warmClock, cancellationToken);
            await Task.Delay(200, cancellationToken);

            var time = services.GetRequiredService<TimeProvider>();
            var queue = services.GetRequiredService<CountingMessageQueue>();
            var metrics = services.GetRequiredService<EngineMetrics>();
            var handledBefore = MessageHandling.Read(metrics);
            var claimedBefore = queue.Claimed;
            var claimsBefore = queue.Claims;
            var emptyBefore = queue.EmptyClaims;
            var startedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < options.Runs; i++)
            {
                await runner.StartAsync(config, [], "bench", cancellationToken);
            }

            var submitSeconds = clock.Elapsed.TotalSeconds;
            var finished = await WaitForEndAsync(folder, warmUp + options.Runs, options, clock, cancellationToken) - warmUp;
            var observedSeconds = clock.Elapsed.TotalSeconds;
            var claimed = queue.Claimed - claimedBefore;
            var claims = queue.Claims - claimsBefore;
            var emptyClaims = queue.EmptyClaims - emptyBefore;
            var runs = (await StoredRuns.ReadAllAsync(services, "app", cancellationToken)).Where(r => r.BuildTime >= startedAtMs).ToList();
            var handling = MessageHandling.Since(handledBefore, MessageHandling.Read(metrics));
            var unloaded = await SequentialRuns.GapsAsync(runner, services.GetRequiredService<IExecutionStore>(),
                services.GetRequiredService<ExecutionEvents>(), config, Math.Min(options.Runs, SequentialRunCount), cancellationToken);
            await worker.StopAsync(cancellationToken);
            return ThroughputResult.From(options, concurrency, runs, finished, startedAtMs, submitSeconds, observedSeconds, claimed, claims, emptyClaims,
                handling, unloaded);
        }
        finally
        {
            BenchServices.DeleteFolder(folder);
        }
    }

    /// <summary>Polls a reader connection every 20 ms; returns how many runs had ended when all had or the time ran out.</summary>
    private static async Task<int> WaitForEndAsync(string folder, int expected, BenchOptions options, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var connection = BenchServices.OpenFile(folder);
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM executions WHERE end_time IS NOT NULL";
        while (true)
        {
            var ended = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (ended >= expected || clock.Elapsed > options.Timeout)
            {
                return ended;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    public static string PipelineJson(int stages)
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

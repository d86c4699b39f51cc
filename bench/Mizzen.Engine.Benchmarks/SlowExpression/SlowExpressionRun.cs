using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mizzen.Core.Model;
using Mizzen.Engine.Benchmarks.Reporting;
using Mizzen.Expressions;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;

namespace Mizzen.Engine.Benchmarks.SlowExpression;

/// <summary>
/// What one slow expression adds to other runs. The real engine (worker concurrency 16, SQLite, system clock) runs
/// <see cref="BenchOptions.OtherRuns"/> 5-stage <c>bench.noop</c> runs one after another, timed from <c>StartAsync</c>
/// to the stored end, twice in the same process: first alone, then while runs whose stage context holds
/// <c>${#fromUrl(...)}</c> against a loopback URL that answers after <see cref="BenchOptions.SlowDelaySeconds"/> are kept
/// in flight back to back. The added delay is the difference of the two phases' percentiles.
/// </summary>
internal static class SlowExpressionRun
{
    public const double AddedP99GoalMs = 50;
    private const int WarmUpRuns = 30;
    private const int SlowChains = 3;

    public static async Task<Verdict> RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(options.SlowDelaySeconds);
        await using var server = await SlowUrlServer.StartAsync(delay, cancellationToken);
        var folder = BenchServices.NewFolder(options, "slow-expression");
        try
        {
            await using var services = BenchServices.Build(folder, concurrency: 16, options.Synchronous,
                s => s.Configure<ExpressionOptions>(o =>
                {
                    o.Url.AllowedHosts.Add("127.0.0.1");
                    o.Url.Timeout = delay + TimeSpan.FromSeconds(30);
                }));
            var configs = services.GetRequiredService<IPipelineConfigStore>();
            var other = PipelineConfig.Parse(
                """{"application":"bench","name":"other","stages":[""" +
                string.Join(",", Enumerable.Range(1, 5).Select(i => $$"""{"refId":"{{i}}","type":"bench.noop","name":"s{{i}}"{{(i > 1 ? $$""","requisiteStageRefIds":["{{i - 1}}"]""" : "")}}}""")) +
                "]}");
            var slow = PipelineConfig.Parse(
                $$"""{"application":"bench","name":"slow","stages":[{"refId":"1","type":"bench.noop","name":"fetch","version":"${#fromUrl('{{server.Url}}')}"}]}""");
            await configs.SaveAsync(other, "bench", cancellationToken);
            await configs.SaveAsync(slow, "bench", cancellationToken);
            var worker = services.GetServices<IHostedService>().OfType<QueueWorker>().Single();
            await worker.StartAsync(cancellationToken);
            var runner = services.GetRequiredService<IExecutionRunner>();
            var store = services.GetRequiredService<IExecutionStore>();
            var events = services.GetRequiredService<ExecutionEvents>();

            await TimeRunsAsync(runner, store, events, other, WarmUpRuns, cancellationToken);
            var alone = await TimeRunsAsync(runner, store, events, other, options.OtherRuns, cancellationToken);

            using var stopSlow = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // Three chains of slow runs, started a third of the delay apart, so one is always waiting on the URL.
            var slowRuns = new List<Task<int>>();
            for (var i = 0; i < SlowChains; i++)
            {
                slowRuns.Add(KeepSlowRunsInFlightAsync(runner, store, events, slow, stopSlow.Token));
                await Task.Delay(delay / SlowChains, cancellationToken);
            }

            var first = Stopwatch.StartNew();
            while (SlowUrlServer.InFlight == 0 && first.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(10, cancellationToken);
            }

            var overlapped = 0;
            var beside = await TimeRunsAsync(runner, store, events, other, options.OtherRuns, cancellationToken,
                () => overlapped += SlowUrlServer.InFlight > 0 ? 1 : 0);
            await stopSlow.CancelAsync();
            var completedSlow = (await Task.WhenAll(slowRuns)).Sum();
            await worker.StopAsync(CancellationToken.None);

            var addedP50 = beside.At(50) - alone.At(50);
            var addedP99 = beside.At(99) - alone.At(99);
            output.WriteLine($"Slow expression — {Environment.ProcessorCount} cores, .NET {Environment.Version}, URL answers after {delay.TotalSeconds:0.#} s, load average {LoadAverage()}");
            output.WriteLine($"{options.OtherRuns} runs of 5 bench.noop stages per phase, one after another; {SlowChains} chains of slow runs kept in flight in phase 2");
            output.WriteLine();
            output.WriteLine("| phase | runs | p50 ms | p99 ms | max ms |");
            output.WriteLine("|---|---|---|---|---|");
            output.WriteLine($"| alone | {alone.Count} | {alone.At(50):0.0} | {alone.At(99):0.0} | {alone.Max:0.0} |");
            output.WriteLine($"| beside slow runs | {beside.Count} | {beside.At(50):0.0} | {beside.At(99):0.0} | {beside.Max:0.0} |");
            output.WriteLine($"| added | | {addedP50:+0.0;-0.0} | {addedP99:+0.0;-0.0} | |");
            output.WriteLine();
            output.WriteLine($"{overlapped} of {beside.Count} measured runs started while a slow fetch was in flight; {completedSlow} slow runs finished SUCCEEDED with the fetched value");
            return new Verdict($"a slow expression adds ≤ {AddedP99GoalMs} ms at p99 to other runs", addedP99 <= AddedP99GoalMs && overlapped >= beside.Count * 0.9,
                $"{addedP99:+0.0;-0.0} ms at p99 ({addedP50:+0.0;-0.0} ms at p50), {overlapped}/{beside.Count} runs overlapped a slow fetch");
        }
        finally
        {
            BenchServices.DeleteFolder(folder);
        }
    }

    /// <summary>Runs <paramref name="config"/> <paramref name="count"/> times, one after another; each run's wall time in ms.</summary>
    private static async Task<Percentiles> TimeRunsAsync(
        IExecutionRunner runner, IExecutionStore store, ExecutionEvents events, PipelineConfig config, int count, CancellationToken cancellationToken, Action? onStart = null)
    {
        var durations = new List<double>();
        for (var i = 0; i < count; i++)
        {
            onStart?.Invoke();
            var clock = Stopwatch.StartNew();
            var run = await RunToEndAsync(runner, store, events, config, cancellationToken);
            if (run.Status != ExecutionStatus.Succeeded)
            {
                throw new InvalidOperationException($"run {run.Id} of '{config.Name}' ended {run.Status.ToWireName()}");
            }

            durations.Add(clock.Elapsed.TotalMilliseconds);
        }

        return new Percentiles(durations);
    }

    private static async Task<int> KeepSlowRunsInFlightAsync(
        IExecutionRunner runner, IExecutionStore store, ExecutionEvents events, PipelineConfig slow, CancellationToken stop)
    {
        var finished = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var run = await RunToEndAsync(runner, store, events, slow, stop);
                if (run.Status == ExecutionStatus.Succeeded && run.Stages[0].Context["version"]?.GetValue<string>() == "v1")
                {
                    finished++;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        return finished;
    }

    private static async Task<PipelineExecution> RunToEndAsync(
        IExecutionRunner runner, IExecutionStore store, ExecutionEvents events, PipelineConfig config, CancellationToken cancellationToken)
    {
        var started = await runner.StartAsync(config, [], "bench", cancellationToken);
        using var subscription = events.Subscribe(started.Id, null);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        while (true)
        {
            if (await store.GetAsync(started.Id, timeout.Token) is { } run && run.Status.IsComplete())
            {
                return run;
            }

            await subscription.Changes.ReadAsync(timeout.Token);
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

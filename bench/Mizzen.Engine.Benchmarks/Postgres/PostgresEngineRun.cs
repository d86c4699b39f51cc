using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mizzen.Benchmarks.Postgres;
using Mizzen.Core.Model;
using Mizzen.Engine.Benchmarks.NoopStage;
using Mizzen.Engine.Benchmarks.Reporting;
using Mizzen.Engine.Benchmarks.Throughput;
using Mizzen.Expressions;
using Mizzen.Orchestration;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages;
using Mizzen.Persistence;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Pipelines;
using Mizzen.Persistence.Postgres;
using Npgsql;

namespace Mizzen.Engine.Benchmarks.Postgres;

/// <summary>
/// Engine throughput on PostgreSQL with <c>nodes</c> Mizzen nodes on one fresh database: each node is the production
/// registration (<see cref="PostgresServiceCollectionExtensions.AddPostgresStore"/>, <see cref="PostgresCoordinationRegistration.AddPostgresCoordination"/>,
/// the engine with its real <see cref="QueueWorker"/>, <c>bench.noop</c>) with its own node id, in this process (the machine's
/// cores are shared either way; one process keeps the bench bounded and self-contained). Runs are started round-robin
/// through the nodes in one burst; the figures come from the stored timestamps, as in the SQLite section.
/// </summary>
internal static class PostgresEngineRun
{
    public static async Task<ThroughputResult> RunAsync(BenchOptions options, BenchPostgres postgres, int nodes, int concurrency, CancellationToken cancellationToken)
    {
        var connectionString = await postgres.CreateDatabaseAsync($"engine_{nodes}n_{Guid.NewGuid():N}"[..30]);
        var providers = Enumerable.Range(0, nodes).Select(i => Build(connectionString, $"bench-{i}", concurrency)).ToList();
        var hosted = new List<IHostedService>();
        try
        {
            // One node first: it migrates the schema; the others then start together.
            foreach (var provider in providers)
            {
                foreach (var service in provider.GetServices<IHostedService>())
                {
                    await service.StartAsync(cancellationToken);
                    hosted.Add(service);
                }
            }

            var config = PipelineConfig.Parse(EngineThroughputRun.PipelineJson(options.Stages));
            await providers[0].GetRequiredService<IPipelineConfigStore>().SaveAsync(config, "bench", cancellationToken);
            var runners = providers.Select(p => p.GetRequiredService<IExecutionRunner>()).ToList();

            var warmUp = Math.Min(EngineThroughputRun.WarmUpRuns, options.Runs);
            for (var i = 0; i < warmUp; i++)
            {
                await runners[i % nodes].StartAsync(config, [], "bench", cancellationToken);
            }

            await WaitForEndAsync(connectionString, warmUp, options.Timeout, cancellationToken);

            var metrics = providers.Select(p => p.GetRequiredService<EngineMetrics>()).ToList();
            var before = metrics.Select(MessageHandling.Read).ToList();
            var time = TimeProvider.System;
            var startedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < options.Runs; i++)
            {
                await runners[i % nodes].StartAsync(config, [], "bench", cancellationToken);
            }

            var submitSeconds = clock.Elapsed.TotalSeconds;
            var finished = await WaitForEndAsync(connectionString, warmUp + options.Runs, options.Timeout, cancellationToken) - warmUp;
            var observedSeconds = clock.Elapsed.TotalSeconds;
            var runs = (await StoredRuns.ReadAllAsync(providers[0], "app", cancellationToken)).Where(r => r.BuildTime >= startedAtMs).ToList();
            var handled = metrics.Select((m, i) => MessageHandling.Since(before[i], MessageHandling.Read(m)).Sum(h => h.Count)).Sum();
            return ThroughputResult.From(options, concurrency, runs, finished, startedAtMs, submitSeconds, observedSeconds, handled, 0, 0, [], new Percentiles([]));
        }
        finally
        {
            hosted.Reverse();
            foreach (var service in hosted)
            {
                await service.StopAsync(CancellationToken.None);
            }

            foreach (var provider in providers)
            {
                await provider.DisposeAsync();
            }

            NpgsqlConnection.ClearAllPools();
        }
    }

    private static ServiceProvider Build(string connectionString, string nodeId, int concurrency)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.Configure<StorageOptions>(o =>
        {
            o.Provider = "postgres";
            o.ConnectionString = connectionString;
        });
        services.Configure<NodeOptions>(o => o.Id = nodeId);
        services.Configure<RetentionOptions>(o => o.Enabled = false);
        services.Configure<EngineOptions>(o => o.Concurrency = concurrency);
        services.AddPostgresStore();
        services.AddPostgresCoordination();
        services.AddMizzenExpressions();
        services.AddMizzenEngine(startWorker: true);
        services.AddCoreStages();
        services.AddSingleton<IStageDefinition, BenchNoopStage>();
        services.AddSingleton<BenchNoopTask>();
        return services.BuildServiceProvider();
    }

    /// <summary>Polls the database every 20 ms; returns how many runs had ended when all had or the time ran out.</summary>
    private static async Task<int> WaitForEndAsync(string connectionString, int expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM executions WHERE end_time IS NOT NULL", connection);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var ended = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            if (ended >= expected || clock.Elapsed > timeout)
            {
                return ended;
            }

            await Task.Delay(20, cancellationToken);
        }
    }
}

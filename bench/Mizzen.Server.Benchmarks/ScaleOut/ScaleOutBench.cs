using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mizzen.Benchmarks.Postgres;
using Mizzen.Core.Model;
using Mizzen.Persistence;
using Mizzen.Persistence.Postgres;
using Npgsql;

namespace Mizzen.Server.Benchmarks.ScaleOut;

/// <summary>
/// The PostgreSQL figures of the server (<c>--postgres</c>), on the bench's own PostgreSQL: (b) listing latency with stored runs
/// seeded straight into the PostgreSQL store, through one real server process; (c) how fast the survivors resume a dead
/// node's runs: three server processes, runs whose first stage is a webhook that answers after <c>--hook-delay</c> seconds,
/// one node killed with SIGKILL while it holds leases.
/// </summary>
internal static class ScaleOutBench
{
    public static async Task<int> RunAsync(string serverDll, IReadOnlyList<string> args, Func<int, long, PipelineExecution> finishedRun)
    {
        var stored = Arg(args, "--list-stored", 100_000);
        var calls = Arg(args, "--calls", 300);
        var resumeRuns = Arg(args, "--resume-runs", 90);
        var lease = TimeSpan.FromSeconds(Arg(args, "--lease", 5));
        var hookDelay = TimeSpan.FromSeconds(Arg(args, "--hook-delay", 3));
        var durable = !args.Contains("--pg-fsync") || args.SkipWhile(a => a != "--pg-fsync").Skip(1).FirstOrDefault() != "off";
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load {LoadAverage()}");
        await using var postgres = await BenchPostgres.StartAsync(durable);
        Console.WriteLine($"PostgreSQL {postgres.Settings} on 127.0.0.1:{postgres.Port}; server {serverDll}");

        // (b) listing
        var listDb = await postgres.CreateDatabaseAsync("list");
        var seedClock = Stopwatch.StartNew();
        await SeedAsync(listDb, stored, finishedRun);
        Console.WriteLine($"  seeded {stored:N0} finished runs of 10 stages in {seedClock.Elapsed.TotalSeconds:0} s");
        List<double> latencies;
        using (var node = await ServerNode.StartAsync(serverDll, "list-node", listDb, lease))
        {
            latencies = await TimeListingAsync(node.Http, calls);
        }

        // (c) resume
        var resume = await ResumeRun.RunAsync(serverDll, postgres, resumeRuns, lease, hookDelay);

        Console.WriteLine();
        Console.WriteLine($"## PostgreSQL ({postgres.Settings}), load average after: {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| measure | value | goal |");
        Console.WriteLine("|---|---|---|");
        var p95 = Percentile(latencies, 0.95);
        Console.WriteLine($"| GET /applications/bench/pipelines?limit=50 with {stored:N0} stored runs, {calls} calls | p50 {Percentile(latencies, 0.50):0.0} ms, p95 {p95:0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms | p95 ≤ 20 ms |");
        resume.Print(lease, hookDelay);
        Console.WriteLine();
        Console.WriteLine($"Verdict: {(p95 <= 20 ? "MET" : "MISSED")} list p95 ≤ 20 ms ({p95:0.0} ms); resume: {(resume.AllDone ? "every run of the dead node finished" : "SOME RUNS DID NOT FINISH")}");
        return p95 <= 20 && resume.AllDone ? 0 : 1;
    }

    /// <summary>Finished runs through the PostgreSQL store's own transactions, 1,000 per commit (schema migrated first).</summary>
    private static async Task SeedAsync(string connectionString, int count, Func<int, long, PipelineExecution> finishedRun)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.Configure<StorageOptions>(o =>
        {
            o.Provider = "postgres";
            o.ConnectionString = connectionString;
        });
        services.AddPostgresStore();
        services.AddPostgresCoordination();
        await using var provider = services.BuildServiceProvider();
        foreach (var startup in provider.GetServices<IHostedService>().Where(s => s.GetType().Name == "PostgresSchemaStartup"))
        {
            await startup.StartAsync(CancellationToken.None);
        }

        // The API lists the newest runs of each of the application's pipeline configs (limit per pipeline, as Gate does), so
        // the runs' config must exist: without it the list is empty and the figure would time an empty answer.
        await provider.GetRequiredService<Mizzen.Persistence.Pipelines.IPipelineConfigStore>().SaveAsync(
            new PipelineConfig(new System.Text.Json.Nodes.JsonObject
            {
                ["id"] = "bench-config", ["application"] = "bench", ["name"] = "deploy",
                ["stages"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["refId"] = "1", ["type"] = "wait", ["name"] = "stage 0", ["waitTime"] = 0 }),
            }),
            "bench",
            CancellationToken.None);
        var store = provider.GetRequiredService<IStore>();
        var start = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds();
        for (var batch = 0; batch < count; batch += 1000)
        {
            await using var transaction = await store.BeginAsync(CancellationToken.None);
            for (var i = batch; i < Math.Min(count, batch + 1000); i++)
            {
                transaction.AddExecution(finishedRun(i, start + i));
            }

            await transaction.CommitAsync(CancellationToken.None);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var analyze = new NpgsqlCommand("ANALYZE", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    private static async Task<List<double>> TimeListingAsync(HttpClient client, int calls)
    {
        const string path = "/applications/bench/pipelines?limit=50";
        for (var i = 0; i < 20; i++)
        {
            (await client.GetAsync(new Uri(path, UriKind.Relative))).EnsureSuccessStatusCode();
        }

        var result = new List<double>();
        for (var i = 0; i < calls; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsByteArrayAsync();
            response.EnsureSuccessStatusCode();
            result.Add(clock.Elapsed.TotalMilliseconds);
            if (i == 0 && System.Text.Json.Nodes.JsonNode.Parse(body)!.AsArray().Count != 50)
            {
                throw new InvalidOperationException($"the list answered {System.Text.Json.Nodes.JsonNode.Parse(body)!.AsArray().Count} runs, not 50: the seeding did not reach the server's store");
            }
        }

        return result;
    }

    internal static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];
    }

    internal static async Task PostJsonAsync(HttpClient client, string path, string json)
    {
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    internal static async Task<string> StartRunAsync(HttpClient client, string application, string pipeline)
    {
        using var response = await client.PostAsync(new Uri($"/pipelines/{application}/{pipeline}", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        return body!["ref"]!.GetValue<string>()["/pipelines/".Length..];
    }

    private static int Arg(IReadOnlyList<string> args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Server.Benchmarks.Shared;

if (args.Contains("--permissions"))
{
    // Issue 13: what the permission check adds to a request (goal: at most 50 µs), with BenchmarkDotNet.
    // In process (no generated project to build on a shared 2-core machine), BenchmarkDotNet's short run: 3 warm-ups, 3 iterations.
    BenchmarkDotNet.Running.BenchmarkRunner.Run<Mizzen.Server.Benchmarks.Permissions.PermissionCheckBench>(
        DefaultConfig.Instance.AddJob(Job.ShortRun
            .WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance)),
        [.. args.Where(a => a != "--permissions")]);
    return 0;
}

if (args.Contains("--ldap-login"))
{
    // Issue 13: LDAP login p95 (goal ≤ 100 ms) on the real server against a real slapd.
    return await Mizzen.Server.Benchmarks.Auth.LdapLoginBench.RunAsync(args);
}

// Start-up and memory of the real server process: time from process start to /health/ready (goal ≤ 1 s) and
// resident memory idle (goal ≤ 150 MB) and with 10,000 stored runs. Loopback only; stops by itself.
var serverDll = ArgString("--server") ?? FindServerDll();
if (args.Contains("--postgres"))
{
    // Scale-out figures on the bench's own PostgreSQL: listing latency and the resumption of a dead node's runs.
    return await Mizzen.Server.Benchmarks.ScaleOut.ScaleOutBench.RunAsync(serverDll, args, StoreSeeder.FinishedRun);
}

if (args.Contains("--webhooks"))
{
    // Issue 11: webhook to stored run at a fixed event rate, with redeliveries; none lost or doubled.
    return await Mizzen.Server.Benchmarks.Triggers.WebhookBench.RunAsync(serverDll, args);
}

if (args.Contains("--cron"))
{
    // Issue 11: how late cron triggers fire (goal: within 1 s), none missed or doubled.
    return await Mizzen.Server.Benchmarks.Triggers.CronBench.RunAsync(serverDll, args);
}

if (args.Contains("--ui"))
{
    // The web UI's figures: render time of every page, first-load bytes, live-update latency in a real browser.
    return await Mizzen.Server.Benchmarks.Ui.UiBench.RunAsync(serverDll, args);
}

var runs = ArgValue("--runs", 5);
var stored = ArgValue("--stored", 10_000);
Console.WriteLine($"server: {serverDll}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

var startups = new List<double>();
var idleRss = new List<double>();
for (var i = 0; i < runs; i++)
{
    var folder = TempFolder();
    var (ms, rss) = await MeasureAsync(serverDll, folder);
    startups.Add(ms);
    idleRss.Add(rss);
    Directory.Delete(folder, recursive: true);
}

var listStored = ArgValue("--list-stored", 100_000);
var listFolder = TempFolder();
await SeedAsync(listFolder, listStored);
var latencies = await MeasureListingAsync(serverDll, listFolder, calls: 300);
Directory.Delete(listFolder, recursive: true);

var seeded = TempFolder();
await SeedAsync(seeded, stored);
var (seededStart, seededRss) = await MeasureAsync(serverDll, seeded, listCalls: 20);
Directory.Delete(seeded, recursive: true);

startups.Sort();
Console.WriteLine();
Console.WriteLine("| measure | value | goal |");
Console.WriteLine("|---|---|---|");
Console.WriteLine($"| start to /health/ready, median of {runs} (fresh data folder) | {startups[startups.Count / 2]:0} ms (min {startups[0]:0}, max {startups[^1]:0}) | ≤ 1000 ms |");
Console.WriteLine($"| resident memory, idle | {idleRss.Average():0} MB | ≤ 150 MB |");
Console.WriteLine($"| start to ready with {stored:N0} stored runs | {seededStart:0} ms | — |");
Console.WriteLine($"| resident memory with {stored:N0} stored runs, after 20 list calls | {seededRss:0} MB | — |");
Console.WriteLine($"| GET /applications/bench/pipelines?limit=50 with {listStored:N0} stored runs, 300 calls | p50 {Percentile(latencies, 0.50):0.0} ms, p95 {Percentile(latencies, 0.95):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms | p95 ≤ 20 ms |");
return 0;

static async Task<(double StartupMs, double RssMb)> MeasureAsync(string serverDll, string folder, int listCalls = 0)
{
    await using var server = await BenchServer.StartAsync(serverDll, folder);
    for (var i = 0; i < listCalls; i++)
    {
        (await server.Http.GetAsync(new Uri("/applications/bench/pipelines?limit=50", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    await Task.Delay(2000);
    return (server.Startup.TotalMilliseconds, server.ResidentMb());
}

static Task SeedAsync(string folder, int count) => StoreSeeder.WithSqliteStoreAsync(folder, async provider =>
{
    // The API lists the newest runs of each of the application's pipeline configs (a limit per pipeline, as Gate does): without
    // the runs' config the answer is empty and the figure would time an empty list (it did, before this config was stored).
    await provider.GetRequiredService<Mizzen.Persistence.Pipelines.IPipelineConfigStore>().SaveAsync(
        new PipelineConfig(new JsonObject
        {
            ["id"] = "bench-config", ["application"] = "bench", ["name"] = "deploy",
            ["stages"] = new JsonArray(new JsonObject { ["refId"] = "1", ["type"] = "wait", ["name"] = "stage 0", ["waitTime"] = 0 }),
        }),
        "bench",
        CancellationToken.None);
    var start = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds();
    await StoreSeeder.AddRunsAsync(provider, count, i => StoreSeeder.FinishedRun(i, start + i));
});

static async Task<List<double>> MeasureListingAsync(string serverDll, string folder, int calls)
{
    await using var server = await BenchServer.StartAsync(serverDll, folder, poll: TimeSpan.FromMilliseconds(20));
    var client = server.Http;
    for (var i = 0; i < 20; i++)
    {
        (await client.GetAsync(new Uri("/applications/bench/pipelines?limit=50", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    // The figure must time a full page: 50 runs with their stages, not an empty answer.
    var page = JsonNode.Parse(await client.GetStringAsync(new Uri("/applications/bench/pipelines?limit=50", UriKind.Relative)))!.AsArray();
    if (page.Count != 50)
    {
        throw new InvalidOperationException($"the list returned {page.Count} runs, not 50: the seeded runs are not listed");
    }

    var result = new List<double>();
    for (var i = 0; i < calls; i++)
    {
        var clock = Stopwatch.StartNew();
        var response = await client.GetAsync(new Uri("/applications/bench/pipelines?limit=50", UriKind.Relative));
        await response.Content.ReadAsByteArrayAsync();
        response.EnsureSuccessStatusCode();
        result.Add(clock.Elapsed.TotalMilliseconds);
    }

    return result;
}

static double Percentile(List<double> values, double p) => Stats.Percentile(values, p);

static string TempFolder() => Path.Combine(Path.GetTempPath(), "mizzen-startup-" + Guid.NewGuid().ToString("N"));

static string FindServerDll()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        foreach (var configuration in new[] { "Release", "Debug" })
        {
            var candidate = Path.Combine(dir.FullName, "src", "Mizzen.Server", "bin", configuration, "net10.0", "Mizzen.Server.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
    }

    throw new FileNotFoundException("build src/Mizzen.Server first (dotnet build -c Release src/Mizzen.Server)");
}

int ArgValue(string name, int fallback) =>
    args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

string? ArgString(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

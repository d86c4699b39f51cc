using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Persistence;

// Start-up and memory of the real server process: time from process start to /health/ready (goal ≤ 1 s) and
// resident memory idle (goal ≤ 150 MB) and with 10,000 stored runs. Loopback only; stops by itself.
var serverDll = ArgString("--server") ?? FindServerDll();
if (args.Contains("--postgres"))
{
    // Scale-out figures on the bench's own PostgreSQL: listing latency and the resumption of a dead node's runs.
    return await Mizzen.Server.Benchmarks.ScaleOut.ScaleOutBench.RunAsync(serverDll, args, FinishedRun);
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
    var port = FreePort();
    var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in new[] { serverDll, "serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--data", folder })
    {
        info.ArgumentList.Add(a);
    }

    using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    try
    {
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("server not ready in 30 s");
            }

            await Task.Delay(5);
        }

        var startup = clock.Elapsed.TotalMilliseconds;
        for (var i = 0; i < listCalls; i++)
        {
            (await client.GetAsync("/applications/bench/pipelines?limit=50")).EnsureSuccessStatusCode();
        }

        await Task.Delay(2000);
        var rss = File.ReadAllLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kb = double.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return (startup, kb / 1024);
    }
    finally
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }
}

static async Task SeedAsync(string folder, int count)
{
    var services = new ServiceCollection().AddLogging();
    services.Configure<StorageOptions>(o => o.DataFolder = folder);
    services.AddSqliteStore();
    await using var provider = services.BuildServiceProvider();

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
    var store = provider.GetRequiredService<IStore>();
    var start = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds();
    for (var batch = 0; batch < count; batch += 1000)
    {
        await using var transaction = await store.BeginAsync(CancellationToken.None);
        for (var i = batch; i < Math.Min(count, batch + 1000); i++)
        {
            transaction.AddExecution(FinishedRun(i, start + i));
        }

        await transaction.CommitAsync(CancellationToken.None);
    }
}

static async Task<List<double>> MeasureListingAsync(string serverDll, string folder, int calls)
{
    var port = FreePort();
    var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in new[] { serverDll, "serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--data", folder })
    {
        info.ArgumentList.Add(a);
    }

    using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    using var process = Process.Start(info)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    try
    {
        var ready = Stopwatch.StartNew();
        while (ready.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(20);
        }

        for (var i = 0; i < 20; i++)
        {
            (await client.GetAsync("/applications/bench/pipelines?limit=50")).EnsureSuccessStatusCode();
        }

        // The figure must time a full page: 50 runs with their stages, not an empty answer.
        var page = JsonNode.Parse(await client.GetStringAsync("/applications/bench/pipelines?limit=50"))!.AsArray();
        if (page.Count != 50)
        {
            throw new InvalidOperationException($"the list returned {page.Count} runs, not 50: the seeded runs are not listed");
        }

        var result = new List<double>();
        for (var i = 0; i < calls; i++)
        {
            var clock = Stopwatch.StartNew();
            var response = await client.GetAsync("/applications/bench/pipelines?limit=50");
            await response.Content.ReadAsByteArrayAsync();
            response.EnsureSuccessStatusCode();
            result.Add(clock.Elapsed.TotalMilliseconds);
        }

        return result;
    }
    finally
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

static PipelineExecution FinishedRun(int n, long at) => new()
{
    Id = $"01BENCH{n:D19}",
    Application = "bench",
    Name = "deploy",
    PipelineConfigId = "bench-config",
    Status = ExecutionStatus.Succeeded,
    BuildTime = at,
    StartTime = at,
    EndTime = at + 1000,
    Trigger = new JsonObject { ["type"] = "manual", ["user"] = "bench", ["parameters"] = new JsonObject { ["version"] = "v" + n } },
    Stages = Enumerable.Range(0, 10).Select(s => new StageExecution
    {
        Id = $"01BENCH{n:D15}S{s:D3}",
        RefId = s.ToString(CultureInfo.InvariantCulture),
        Type = "wait",
        Name = "stage " + s,
        Status = ExecutionStatus.Succeeded,
        StartTime = at + (s * 100),
        EndTime = at + (s * 100) + 90,
        Context = new JsonObject { ["waitTime"] = 0 },
        RequisiteStageRefIds = s == 0 ? [] : [(s - 1).ToString(CultureInfo.InvariantCulture)],
        Tasks = [new TaskExecution { Id = "1", Name = "wait", Status = ExecutionStatus.Succeeded, StageStart = true, StageEnd = true }],
    }).ToList(),
};

static string TempFolder() => Path.Combine(Path.GetTempPath(), "mizzen-startup-" + Guid.NewGuid().ToString("N"));

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}

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

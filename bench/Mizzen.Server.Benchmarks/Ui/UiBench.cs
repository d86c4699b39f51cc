using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Server.Benchmarks.Shared;
using Mizzen.Server.Tests.Ui;

namespace Mizzen.Server.Benchmarks.Ui;

/// <summary>
/// The web UI's figures (<c>--ui</c>, issue 10): server render time of every page (goal p95 ≤ 100 ms) with 100,000 stored runs,
/// 500 pipelines and 200 server groups; the bytes of a first load (goal ≤ 1 MB); the time for a state change to reach an open page
/// (goal ≤ 1 s). One real server process on loopback, one Chromium; everything it starts it stops.
/// </summary>
internal static class UiBench
{
    public static async Task<int> RunAsync(string serverDll, IReadOnlyList<string> args)
    {
        var seed = new UiSeed(
            Applications: Arg(args, "--apps", 20),
            PipelinesPerApplication: Arg(args, "--pipelines", 25),
            Runs: Arg(args, "--stored", 100_000),
            ServerGroups: Arg(args, "--server-groups", 200));
        var calls = Arg(args, "--calls", 200);
        var warmup = Arg(args, "--warmup", 20);
        var changes = Arg(args, "--changes", 20);
        var loadBefore = LoadAverage();
        Console.WriteLine($"server: {serverDll}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load {loadBefore}");

        var folder = Path.Combine(Path.GetTempPath(), "mizzen-ui-bench-" + Guid.NewGuid().ToString("N"));
        await UiSeed.WriteSettingsAsync(folder);
        await seed.SeedStoreAsync(folder);
        var server = await BenchServer.StartAsync(serverDll, folder, readyTimeout: TimeSpan.FromMinutes(2), poll: TimeSpan.FromMilliseconds(50));
        try
        {
            Console.WriteLine($"  server ready in {server.Startup.TotalMilliseconds:0} ms on {server.Url}");
            await seed.DeployServerGroupsAsync(server.Http, Path.Combine(folder, "bundle"));
            var pages = await PagesAsync(server.Http, seed);

            // The server's own background work (instance supervision, timers), once the deploys have settled.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var idleBefore = server.CpuTime();
            var idleClock = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(10));
            var idleCpu = (server.CpuTime() - idleBefore).TotalMilliseconds / idleClock.Elapsed.TotalSeconds;
            Console.WriteLine($"server CPU with no request: {idleCpu:0} ms per second ({seed.ServerGroups} instances supervised)");
            Console.WriteLine($"render times, {warmup} warm-up and {calls} timed calls per page (load {LoadAverage()}):");
            var timings = await PageTimings.MeasureAsync(server.Http, pages, warmup, calls, server.CpuTime);
            var loadAfterTimings = LoadAverage();

            await using var browser = await UiBrowser.LaunchAsync();
            Console.WriteLine("first loads in Chromium (empty cache):");
            var loads = new List<FirstLoadResult>();
            foreach (var page in pages)
            {
                var load = await FirstLoad.MeasureAsync(browser, server.Url, page.Name, page.Path, TimeSpan.FromSeconds(2));
                Console.WriteLine($"  {page.Name}: {load.Total:N0} bytes ({load.Responses.Count} responses {load.HttpBytes:N0}, circuit {load.CircuitFrames} frames {load.CircuitBytes:N0}, deflated {load.CircuitDeflatedBytes:N0})");
                loads.Add(load);
            }

            Console.WriteLine($"live updates: {changes} runs of {UiSeed.App(0)}/{UiSeed.HoldPipeline} started then canceled through the API, the executions page open:");
            var live = await LiveLatency.MeasureAsync(browser, server.Http, server.Url, UiSeed.App(0), UiSeed.HoldPipeline, changes);
            Console.WriteLine($"live updates: {Math.Max(1, changes / 2)} runs canceled through the API, each run's own page open:");
            live.AddRange(await LiveLatency.MeasureExecutionPageAsync(browser, server.Http, server.Url, UiSeed.App(0), UiSeed.HoldPipeline, Math.Max(1, changes / 2)));
            var loadAfter = LoadAverage();

            return Print(seed, calls, warmup, timings, loads, live, idleCpu, loadBefore, loadAfterTimings, loadAfter);
        }
        finally
        {
            // The server stops its instances on a graceful shutdown (StopInstancesOnShutdown); any left would end by themselves (sleep 7200).
            await server.StopAsync(TimeSpan.FromSeconds(90));
            await server.DisposeAsync();
            if (!args.Contains("--keep"))
            {
                Directory.Delete(folder, recursive: true);
            }
            else
            {
                Console.WriteLine($"data folder kept: {folder}");
            }
        }
    }

    /// <summary>Every page of the UI, on the busiest application's data, with what each must show to count as the full page.</summary>
    private static async Task<List<UiPage>> PagesAsync(HttpClient http, UiSeed seed)
    {
        var app = UiSeed.App(0);
        var newest = Enumerable.Range(0, seed.Runs).Reverse().Where(n => seed.Owner(n).App == 0);
        var succeeded = UiSeed.RunId(newest.First(n => UiSeed.StatusOf(n) == ExecutionStatus.Succeeded));
        var failed = UiSeed.RunId(newest.First(n => UiSeed.StatusOf(n) == ExecutionStatus.Terminal));
        var groups = (await http.GetFromJsonAsync<JsonArray>(new Uri($"/applications/{app}/serverGroups", UriKind.Relative)))!;
        var group = groups.First(g => g!["instances"]!.AsArray().Count > 0)!;
        var instance = group["instances"]!.AsArray()[0]!["id"]!.GetValue<string>();
        var appGroups = groups.Count;
        var perPipeline = Math.Min(5, seed.Runs / Math.Max(1, 5 * seed.PipelinesPerApplication));
        var pages = new List<UiPage>
        {
            new("applications (/)", "/", HttpStatusCode.OK, "href=\"/ui/applications/app", seed.Applications),
            new($"application summary ({app}, {seed.PipelinesPerApplication} pipelines)", $"/ui/applications/{app}", HttpStatusCode.OK, "href=\"/ui/pipelines/", seed.PipelinesPerApplication),
            new($"executions ({app}, {seed.PipelinesPerApplication} pipelines × 5 runs)", $"/ui/applications/{app}/executions", HttpStatusCode.OK, "data-execution=", seed.PipelinesPerApplication * perPipeline),
            new("execution (10 stages, succeeded)", $"/ui/executions/{succeeded}", HttpStatusCode.OK, "data-stage=", 10),
            new("execution (10 stages, failed at the 8th)", $"/ui/executions/{failed}", HttpStatusCode.OK, "data-stage=", 10),
            new($"clusters ({app}, {appGroups} server groups)", $"/ui/applications/{app}/clusters", HttpStatusCode.OK, "data-server-group=", appGroups),
        };
        if (seed.Applications > 1)
        {
            var other = UiSeed.App(1);
            var otherGroups = (await http.GetFromJsonAsync<JsonArray>(new Uri($"/applications/{other}/serverGroups", UriKind.Relative)))!.Count;
            pages.Add(new($"clusters ({other}, {otherGroups} server groups)", $"/ui/applications/{other}/clusters", HttpStatusCode.OK, "data-server-group=", otherGroups));
        }

        pages.AddRange(
        [
            new("pipeline config editor (10 stages)", $"/ui/pipelines/{UiSeed.ConfigId(0, 1)}/config", HttpStatusCode.OK, "stage 9"),
            new("server group action (resize)", $"/ui/applications/{app}/serverGroups/{UiSeed.Account}/{group["name"]!.GetValue<string>()}/resize", HttpStatusCode.OK, "<form"),
            new("instance logs", $"/ui/instances/{UiSeed.Account}/{instance}/logs?stream=stdout", HttpStatusCode.OK, "class=\"log\""),
            new("not found (404)", "/ui/no-such-page", HttpStatusCode.NotFound, "no-such-page"),
        ]);
        return pages;
    }

    private static int Print(UiSeed seed, int calls, int warmup, List<PageTiming> timings, List<FirstLoadResult> loads, List<LiveChange> live,
        double idleCpu, string loadBefore, string loadAfterTimings, string loadAfter)
    {
        Console.WriteLine();
        Console.WriteLine($"## Web UI: {seed.Runs:N0} stored runs, {seed.Applications * seed.PipelinesPerApplication} pipelines ({seed.Applications} applications × {seed.PipelinesPerApplication}), {seed.ServerGroups} server groups");
        Console.WriteLine($"load average: {loadBefore} before, {loadAfterTimings} after the render timings, {loadAfter} at the end ({Environment.ProcessorCount} cores)");
        Console.WriteLine();
        Console.WriteLine($"server CPU with no request: {idleCpu:0} ms per second; the CPU per call below includes that background share");
        Console.WriteLine();
        Console.WriteLine($"| page ({warmup} warm-up, {calls} timed GETs) | HTML | p50 | p95 | p99 | server CPU per call | goal p95 ≤ 100 ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var t in timings)
        {
            Console.WriteLine($"| {t.Page.Name} `{Shorten(t.Page.Path)}` | {t.HtmlBytes / 1024.0:0.0} KB | {t.P(0.50):0.0} ms | {t.P(0.95):0.0} ms | {t.P(0.99):0.0} ms | {t.CpuMsPerCall:0.0} ms | {(t.P(0.95) <= 100 ? "met" : "MISSED")} |");
        }

        Console.WriteLine();
        Console.WriteLine("| first load, empty cache | HTTP responses | bytes over HTTP | circuit frames in 2 s: payload → deflated | total (HTTP + deflated frames) | goal ≤ 1 MB |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var l in loads)
        {
            Console.WriteLine($"| {l.Page} | {l.Responses.Count} | {l.HttpBytes / 1024.0:0.0} KB | {l.CircuitFrames}: {l.CircuitBytes / 1024.0:0.0} → {l.CircuitDeflatedBytes / 1024.0:0.0} KB | {l.Total / 1024.0:0.0} KB | {(l.Total <= 1_000_000 ? "met" : "MISSED")} |");
        }

        var heaviest = loads.MaxBy(l => l.Total)!;
        Console.WriteLine();
        Console.WriteLine($"heaviest first load, {heaviest.Page}:");
        Console.WriteLine("| response | type | status | encoding | headers | body |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var r in heaviest.Responses)
        {
            Console.WriteLine($"| `{Shorten(new Uri(r.Url).PathAndQuery)}` | {r.Type} | {r.Status} | {r.Encoding} | {r.HeaderBytes:N0} | {r.BodyBytes:N0} |");
        }

        Console.WriteLine();
        Console.WriteLine("| live update (API call → the open page's DOM shows it) | n | p50 | p95 | max | goal ≤ 1 s |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var kind in live.GroupBy(c => c.Kind).Append(live.GroupBy(_ => "all changes").Single()))
        {
            var ms = kind.Select(c => c.Milliseconds).ToList();
            Console.WriteLine($"| {kind.Key} | {ms.Count} | {Stats.Percentile(ms, 0.5):0} ms | {Stats.Percentile(ms, 0.95):0} ms | {ms.Max():0} ms | {(Stats.Percentile(ms, 0.95) <= 1000 ? "met (p95)" : "MISSED (p95)")} |");
        }

        var missed = timings.Count(t => t.P(0.95) > 100) + loads.Count(l => l.Total > 1_000_000) + (Stats.Percentile(live.Select(c => c.Milliseconds), 0.95) > 1000 ? 1 : 0);
        Console.WriteLine();
        Console.WriteLine(missed == 0 ? "Verdict: every goal met" : $"Verdict: {missed} goal(s) MISSED");
        return missed == 0 ? 0 : 1;
    }

    private static string Shorten(string path) => path.Length <= 60 ? path : path[..40] + "…" + path[^15..];

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static int Arg(IReadOnlyList<string> args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}

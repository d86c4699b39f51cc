using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Server.Benchmarks.Shared;

namespace Mizzen.Server.Benchmarks.Triggers;

/// <summary>
/// Cron trigger lateness (issue 11's goal: a cron trigger fires within 1 s of its time). The real server on a fresh data folder
/// (SQLite) with <c>--pipelines</c> pipelines (default 200), each with a cron trigger every 5 seconds, their seconds spread over
/// the five offsets (<c>{i % 5}/5 * * * * ?</c>), so 40 triggers are due every second; each run is one short wait stage, so the
/// engine works while triggers fire. Optionally <c>--webhook-rate</c> webhook events a second on top. After <c>--seconds</c>
/// (default 60), every run is read back: its lateness is its <c>buildTime</c> (when it was stored) minus the due time its
/// trigger's event id names (<c>{trigger}@{due}</c>); and each trigger must have fired once per due time, none missed or doubled.
/// </summary>
public static class CronBench
{
    public static async Task<int> RunAsync(string serverDll, string[] args)
    {
        var pipelines = Arg(args, "--pipelines", 200);
        var seconds = Arg(args, "--seconds", 60);
        var webhookRate = Arg(args, "--webhook-rate", 0);
        var folder = Directory.CreateTempSubdirectory("mizzen-cron-bench-").FullName;
        try
        {
            await using var server = await BenchServer.StartAsync(serverDll, folder);
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 64 }) { BaseAddress = server.Url };
            (await client.PostAsync("/applications", Json("""{"name":"cron","email":"bench@example.com"}"""))).EnsureSuccessStatusCode();
            for (var i = 0; i < pipelines; i++)
            {
                var config = $$$"""
                    {"application":"cron","name":"p{{{i}}}",
                     "triggers":[{"type":"cron","enabled":true,"cronExpression":"{{{i % 5}}}/5 * * * * ?"},
                                 {"type":"webhook","enabled":true,"source":"s{{{i}}}"}],
                     "stages":[{"refId":"1","type":"wait","name":"w","waitTime":1}]}
                    """;
                (await client.PostAsync("/pipelines", Json(config))).EnsureSuccessStatusCode();
            }

            Console.WriteLine($"server: {serverDll}");
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            Console.WriteLine($"{pipelines} cron triggers every 5 s ({pipelines / 5} due each second) for {seconds} s" + (webhookRate > 0 ? $", plus {webhookRate} webhook events/s" : ""));

            // The scheduler records a trigger's first sight without firing; measure only due times after everything was saved.
            var from = DateTimeOffset.UtcNow.AddSeconds(6);
            var clock = Stopwatch.StartNew();
            var posts = new List<Task>();
            var n = 0;
            while (clock.Elapsed < TimeSpan.FromSeconds(seconds + 6))
            {
                if (webhookRate > 0)
                {
                    var due = TimeSpan.FromSeconds((double)n / webhookRate);
                    if (due > clock.Elapsed)
                    {
                        await Task.Delay(due - clock.Elapsed);
                    }

                    posts.Add(client.PostAsync($"/webhooks/webhook/s{n % pipelines}", Json("{}")));
                    n++;
                }
                else
                {
                    await Task.Delay(250);
                }
            }

            var to = DateTimeOffset.UtcNow.AddSeconds(-2); // due times the scheduler had time to fire
            await Task.WhenAll(posts);
            await Task.Delay(TimeSpan.FromSeconds(2));

            var lateness = new List<double>();
            var firings = new Dictionary<(int, DateTimeOffset), int>();
            for (var i = 0; i < pipelines; i++)
            {
                var runs = JsonNode.Parse(await client.GetStringAsync($"/applications/cron/pipelines?pipelineName=p{i}&limit=1000&expand=false"))!.AsArray();
                foreach (var run in runs)
                {
                    var trigger = run!["trigger"]!;
                    if (trigger["type"]!.GetValue<string>() != "cron")
                    {
                        continue;
                    }

                    var eventId = trigger["eventId"]!.GetValue<string>();
                    var dueAt = DateTimeOffset.Parse(eventId[(eventId.LastIndexOf('@') + 1)..], CultureInfo.InvariantCulture);
                    if (dueAt < from || dueAt > to)
                    {
                        continue;
                    }

                    var stored = DateTimeOffset.FromUnixTimeMilliseconds(run["buildTime"]!.GetValue<long>());
                    lateness.Add((stored - dueAt).TotalMilliseconds);
                    firings[(i, dueAt)] = firings.GetValueOrDefault((i, dueAt)) + 1;
                }
            }

            // Every trigger's due times in the window: its second offset, every 5 s.
            var expected = 0;
            var missed = 0;
            for (var i = 0; i < pipelines; i++)
            {
                for (var t = new DateTimeOffset(from.Year, from.Month, from.Day, from.Hour, from.Minute, from.Second, TimeSpan.Zero).AddSeconds(1); t <= to; t = t.AddSeconds(1))
                {
                    if (t.Second % 5 == i % 5 && t >= from)
                    {
                        expected++;
                        missed += firings.ContainsKey((i, t)) ? 0 : 1;
                    }
                }
            }

            var doubled = firings.Values.Sum(c => c - 1);
            Console.WriteLine();
            Console.WriteLine("| measure | value | goal |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine(FormattableString.Invariant(
                $"| cron due time to stored run, {lateness.Count:N0} firings | p50 {Stats.Percentile(lateness, 0.50):0} ms, p95 {Stats.Percentile(lateness, 0.95):0} ms, p99 {Stats.Percentile(lateness, 0.99):0} ms, max {lateness.DefaultIfEmpty(0).Max():0} ms | within 1,000 ms |"));
            Console.WriteLine($"| firings | {firings.Count:N0} of {expected:N0} due: {missed} missed, {doubled} doubled | none missed or doubled |");
            return missed == 0 && doubled == 0 && lateness.Count > 0 && lateness.Max() <= 1000 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static int Arg(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

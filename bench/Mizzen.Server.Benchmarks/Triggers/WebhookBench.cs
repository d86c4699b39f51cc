using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Server.Benchmarks.Shared;

namespace Mizzen.Server.Benchmarks.Triggers;

/// <summary>
/// Webhook to stored run (issue 11's goal: p99 ≤ 50 ms at 200 events/s, none lost or doubled). The real server on a fresh data folder
/// (SQLite), <c>--pipelines</c> pipelines each with a webhook trigger of its own source (default 20) plus one whose trigger no event
/// matches; events are posted open-loop at <c>--rate</c> per second (default 200) for <c>--seconds</c> (default 30), each to one
/// source with a unique <c>X-Event-Id</c>, and every tenth event is posted a second time (a redelivery). Latency is request to
/// answer: the answer comes after the run is stored. Then every pipeline's runs are counted: exactly one per unique event.
/// </summary>
public static class WebhookBench
{
    public static async Task<int> RunAsync(string serverDll, string[] args)
    {
        var rate = Arg(args, "--rate", 200);
        var seconds = Arg(args, "--seconds", 30);
        var pipelines = Arg(args, "--pipelines", 20);
        var onPostgres = ArgText(args, "--store") == "postgres";
        var folder = Directory.CreateTempSubdirectory("mizzen-webhook-bench-").FullName;
        try
        {
            // With --store postgres: the bench's own PostgreSQL with production durability (fsync, synchronous commit).
            await using var postgres = onPostgres ? await Mizzen.Benchmarks.Postgres.BenchPostgres.StartAsync(durable: true) : null;
            if (postgres is not null)
            {
                var settings = new JsonObject
                {
                    ["Mizzen"] = new JsonObject
                    {
                        ["Storage"] = new JsonObject { ["Provider"] = "postgres", ["ConnectionString"] = await postgres.CreateDatabaseAsync("webhooks") },
                    },
                };
                await File.WriteAllTextAsync(Path.Combine(folder, "mizzen.json"), settings.ToJsonString());
            }

            await using var server = await BenchServer.StartAsync(serverDll, folder);
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 256 }) { BaseAddress = server.Url };
            (await client.PostAsync("/applications", Json("""{"name":"hooks","email":"bench@example.com"}"""))).EnsureSuccessStatusCode();
            for (var i = 0; i < pipelines; i++)
            {
                // Each run is one short wait stage, so the engine also works while events arrive, as it would for real.
                var config = $$$"""
                    {"application":"hooks","name":"p{{{i}}}","parameterConfig":[{"name":"n"}],
                     "triggers":[{"type":"webhook","enabled":true,"source":"s{{{i}}}","payloadConstraints":{"kind":"^build$"}}],
                     "stages":[{"refId":"1","type":"wait","name":"w","waitTime":1}]}
                    """;
                (await client.PostAsync("/pipelines", Json(config))).EnsureSuccessStatusCode();
            }

            Console.WriteLine($"server: {serverDll}");
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            Console.WriteLine($"store: {(postgres is null ? "SQLite (default)" : $"PostgreSQL, {postgres.Settings}")}");
            Console.WriteLine($"posting {rate}/s for {seconds} s to {pipelines} sources (every tenth event twice)");

            var latencies = new List<double>();
            var failures = 0;
            var unique = new int[pipelines];
            var pending = new List<Task>();
            var total = rate * seconds;
            var clock = Stopwatch.StartNew();
            for (var n = 0; n < total; n++)
            {
                var due = TimeSpan.FromSeconds((double)n / rate);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }

                var source = n % pipelines;
                unique[source]++;
                var body = "{\"kind\":\"build\",\"parameters\":{\"n\":\"" + n.ToString(CultureInfo.InvariantCulture) + "\"}}";
                var id = $"event-{n}";
                pending.Add(PostAsync(client, $"/webhooks/webhook/s{source}", body, id, latencies, () => Interlocked.Increment(ref failures)));
                if (n % 10 == 0)
                {
                    pending.Add(PostAsync(client, $"/webhooks/webhook/s{source}", body, id, latencies, () => Interlocked.Increment(ref failures)));
                }
            }

            await Task.WhenAll(pending);
            var sent = clock.Elapsed;
            var counts = await CountRunsAsync(client, pipelines);
            var lost = Enumerable.Range(0, pipelines).Sum(i => Math.Max(0, unique[i] - counts[i]));
            var doubled = Enumerable.Range(0, pipelines).Sum(i => Math.Max(0, counts[i] - unique[i]));
            Console.WriteLine();
            Console.WriteLine("| measure | value | goal |");
            Console.WriteLine("|---|---|---|");
            lock (latencies)
            {
                Console.WriteLine(FormattableString.Invariant(
                    $"| POST /webhooks/webhook/{{source}} to stored run, {latencies.Count:N0} posts ({total:N0} events + {total / 10:N0} redeliveries) in {sent.TotalSeconds:0.0} s | p50 {Stats.Percentile(latencies, 0.50):0.0} ms, p95 {Stats.Percentile(latencies, 0.95):0.0} ms, p99 {Stats.Percentile(latencies, 0.99):0.0} ms, max {latencies.Max():0} ms | p99 ≤ 50 ms at {rate}/s |"));
            }

            Console.WriteLine($"| runs stored | {counts.Sum():N0} for {total:N0} unique events: {lost} lost, {doubled} doubled, {failures} failed posts | none lost or doubled |");
            return lost == 0 && doubled == 0 && failures == 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task PostAsync(HttpClient client, string path, string body, string id, List<double> latencies, Action failed)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        request.Headers.Add("X-Event-Id", id);
        var started = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request);
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            failed();
            return;
        }

        lock (latencies)
        {
            latencies.Add(ms);
        }
    }

    /// <summary>Runs per pipeline, read page by page from the list route (its limit counts per pipeline).</summary>
    private static async Task<int[]> CountRunsAsync(HttpClient client, int pipelines)
    {
        var counts = new int[pipelines];
        for (var i = 0; i < pipelines; i++)
        {
            string? before = null;
            while (true)
            {
                var url = $"/applications/hooks/pipelines?pipelineName=p{i}&limit=1000" + (before is null ? "" : $"&before={before}");
                var page = JsonNode.Parse(await client.GetStringAsync(url))!.AsArray();
                counts[i] += page.Count;
                if (page.Count < 1000)
                {
                    break;
                }

                before = page[^1]!["id"]!.GetValue<string>();
            }
        }

        return counts;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string? ArgText(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    private static int Arg(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

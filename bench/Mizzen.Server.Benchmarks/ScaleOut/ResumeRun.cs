using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizzen.Benchmarks.Postgres;
using Npgsql;

namespace Mizzen.Server.Benchmarks.ScaleOut;

/// <summary>
/// How fast the survivors resume a dead node's runs. Three server processes on one database; each run is a webhook stage
/// (the bench's loopback hook answers after the hook delay, so every node holds leases on calls in flight) then a 1 s wait.
/// When the victim holds at least 8 runTask leases (or 20 s passed), the bench reads which runs those leases belong to
/// (<c>queue.lease_node</c>), kills the victim with SIGKILL and measures for each of those runs, from the kill: the webhook
/// called again by a survivor (resumed), the first stored change of the run (progress), and its end (done).
/// Then, on the two survivors, the cross-node cancel: a run whose webhook never answers, the node running it read from its
/// lease, a cancel sent to the other node, timed from the request to the hook seeing the call abandoned (20 times).
/// </summary>
internal sealed record ResumeRun(int Runs, int VictimRuns, List<double> ResumedMs, List<double> ProgressMs, List<double> DoneMs, double AllDoneMs, bool AllDone,
    List<double> CancelMs)
{
    public static async Task<ResumeRun> RunAsync(string serverDll, BenchPostgres postgres, int runs, TimeSpan lease, TimeSpan hookDelay)
    {
        var database = await postgres.CreateDatabaseAsync("resume");
        var calls = new ConcurrentQueue<(string Run, long At)>();
        var abandoned = new ConcurrentDictionary<string, long>();
        var clock = Stopwatch.StartNew();
        await using var hook = await StartHookAsync(hookDelay, calls, abandoned, clock);
        var starting = new[] { "node-a", "node-b", "node-c" }.Select(id => ServerNode.StartAsync(serverDll, id, database, lease)).ToList();
        var nodes = await Task.WhenAll(starting);
        try
        {
            var victim = nodes[2];
            await ScaleOutBench.PostJsonAsync(nodes[0].Http, "/applications", """{"name":"resume"}""");
            await ScaleOutBench.PostJsonAsync(nodes[0].Http, "/pipelines", $$"""
                {"application":"resume","name":"hooked","stages":[
                  {"refId":"1","type":"webhook","name":"call","method":"POST","url":"{{hook.Url}}/${execution.id}"},
                  {"refId":"2","requisiteStageRefIds":["1"],"type":"wait","name":"after","waitTime":1}]}
                """);
            var ids = new List<string>();
            for (var i = 0; i < runs; i++)
            {
                ids.Add(await ScaleOutBench.StartRunAsync(nodes[i % 3].Http, "resume", "hooked"));
            }

            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            var waited = Stopwatch.StartNew();
            List<string> held;
            do
            {
                await Task.Delay(50);
                held = await LeasedRunsAsync(connection, victim.Id);
            }
            while (held.Count < 8 && waited.Elapsed < TimeSpan.FromSeconds(20));

            var before = await StateAsync(connection, held);
            victim.Kill();
            var killedAt = clock.Elapsed.TotalMilliseconds;
            var progress = new Dictionary<string, double>();
            var done = new Dictionary<string, double>();
            var allDoneAt = double.NaN;
            while (clock.Elapsed.TotalMilliseconds - killedAt < 180_000)
            {
                var now = await StateAsync(connection, held);
                var at = clock.Elapsed.TotalMilliseconds - killedAt;
                foreach (var (id, state) in now)
                {
                    if (!progress.ContainsKey(id) && state.Hash != before.GetValueOrDefault(id).Hash)
                    {
                        progress[id] = at;
                    }

                    if (!done.ContainsKey(id) && state.Ended)
                    {
                        done[id] = at;
                    }
                }

                if (done.Count == held.Count && await EndedAsync(connection) == runs)
                {
                    allDoneAt = at;
                    break;
                }

                await Task.Delay(20);
            }

            var cancels = await CancelAcrossNodesAsync(connection, nodes[0], nodes[1], hook.Url, abandoned, clock);
            var resumed = held.Select(id => calls.Where(c => c.Run == id && c.At > killedAt).Select(c => c.At - killedAt).DefaultIfEmpty(double.NaN).Min())
                .Where(double.IsFinite).ToList();
            return new ResumeRun(runs, held.Count, resumed, [.. progress.Values], [.. done.Values], allDoneAt, done.Count == held.Count && double.IsFinite(allDoneAt), cancels);
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }
    }

    public void Print(TimeSpan lease, TimeSpan hookDelay)
    {
        string Figures(List<double> ms) => ms.Count == 0 ? "none" : $"p50 {ScaleOutBench.Percentile(ms, 0.5) / 1000:0.00} s, max {ms.Max() / 1000:0.00} s ({ms.Count} runs)";
        Console.WriteLine($"| kill -9 of 1 of 3 nodes holding {VictimRuns} runs' leases ({Runs} runs in flight; lease {lease.TotalSeconds:0} s, hook answers after {hookDelay.TotalSeconds:0} s): webhook called again by a survivor, from the kill | {Figures(ResumedMs)} | ≤ lease + claim |");
        Console.WriteLine($"| … first stored progress of each of those runs | {Figures(ProgressMs)} | — |");
        Console.WriteLine($"| … each of those runs done | {Figures(DoneMs)} | — |");
        Console.WriteLine($"| cancel sent to one node, task running on the other: request to the webhook call abandoned ({CancelMs.Count} runs) | {(CancelMs.Count == 0 ? "none" : $"p50 {ScaleOutBench.Percentile(CancelMs, 0.5):0} ms, p95 {ScaleOutBench.Percentile(CancelMs, 0.95):0} ms, max {CancelMs.Max():0} ms")} | ≤ 1 s |");
        Console.WriteLine($"| … all {Runs} runs done | {(double.IsFinite(AllDoneMs) ? $"{AllDoneMs / 1000:0.00} s" : "not within 180 s")} | — |");
    }

    private static async Task<List<double>> CancelAcrossNodesAsync(
        NpgsqlConnection connection, ServerNode a, ServerNode b, string hookUrl, ConcurrentDictionary<string, long> abandoned, Stopwatch clock)
    {
        await ScaleOutBench.PostJsonAsync(a.Http, "/pipelines", $$"""
            {"application":"resume","name":"blocked","stages":[
              {"refId":"1","type":"webhook","name":"block","method":"POST","url":"{{hookUrl}}/block-${execution.id}"}]}
            """);
        var latencies = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var id = await ScaleOutBench.StartRunAsync((i % 2 == 0 ? a : b).Http, "resume", "blocked");
            string? runner = null;
            var waited = Stopwatch.StartNew();
            while (runner is null && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(20);
                await using var command = new NpgsqlCommand("SELECT lease_node FROM queue WHERE kind = 'runTask' AND lease_node IS NOT NULL AND payload LIKE $1", connection);
                command.Parameters.Add(new NpgsqlParameter { Value = $"%{id}%" });
                runner = await command.ExecuteScalarAsync() as string;
            }

            var other = runner == a.Id ? b : a;
            var sent = clock.Elapsed.TotalMilliseconds;
            using (var response = await other.Http.PutAsync(new Uri($"/pipelines/{id}/cancel", UriKind.Relative), null))
            {
                response.EnsureSuccessStatusCode();
            }

            while (!abandoned.ContainsKey("block-" + id) && clock.Elapsed.TotalMilliseconds - sent < 30_000)
            {
                await Task.Delay(5);
            }

            if (runner is not null && abandoned.TryGetValue("block-" + id, out var at))
            {
                latencies.Add(at - sent);
            }
        }

        return latencies;
    }

    private static async Task<List<string>> LeasedRunsAsync(NpgsqlConnection connection, string node)
    {
        await using var command = new NpgsqlCommand("SELECT payload FROM queue WHERE lease_node = $1 AND kind = 'runTask'", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = node });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var payload = JsonNode.Parse(reader.GetString(0))!.AsObject();
            var id = payload.FirstOrDefault(p => p.Key.Equals("executionId", StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>();
            if (id is not null)
            {
                ids.Add(id);
            }
        }

        return ids.Distinct().ToList();
    }

    private static async Task<Dictionary<string, (string Hash, bool Ended)>> StateAsync(NpgsqlConnection connection, List<string> ids)
    {
        await using var command = new NpgsqlCommand("""
            SELECT e.id, md5(e.status || coalesce(string_agg(s.body, '|' ORDER BY s.ordinal), '')), e.end_time IS NOT NULL
            FROM executions e LEFT JOIN stages s ON s.execution_id = e.id WHERE e.id = ANY($1) GROUP BY e.id, e.status, e.end_time
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        var state = new Dictionary<string, (string, bool)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            state[reader.GetString(0)] = (reader.GetString(1), reader.GetBoolean(2));
        }

        return state;
    }

    private static async Task<long> EndedAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM executions WHERE end_time IS NOT NULL", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<HookServer> StartHookAsync(
        TimeSpan delay, ConcurrentQueue<(string Run, long At)> calls, ConcurrentDictionary<string, long> abandoned, Stopwatch clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/hook/{run}", async (string run, CancellationToken ct) =>
        {
            calls.Enqueue((run, (long)clock.Elapsed.TotalMilliseconds));
            try
            {
                // "block-" calls never answer: they end when the caller abandons them (a cancel).
                await Task.Delay(run.StartsWith("block-", StringComparison.Ordinal) ? Timeout.InfiniteTimeSpan : delay, ct);
            }
            catch (OperationCanceledException)
            {
                abandoned[run] = (long)clock.Elapsed.TotalMilliseconds;
                throw;
            }

            return Microsoft.AspNetCore.Http.Results.Json(new { run });
        });
        await app.StartAsync();
        return new HookServer(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook");
    }

    private sealed class HookServer(WebApplication app, string url) : IAsyncDisposable
    {
        public string Url => url;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}

using Mizzen.Benchmarks.Postgres;
using Mizzen.Engine.Benchmarks.Reporting;
using Mizzen.Engine.Benchmarks.Throughput;

namespace Mizzen.Engine.Benchmarks.Postgres;

/// <summary>
/// Section 5: the engine on PostgreSQL (1 node and <see cref="BenchOptions.Nodes"/> nodes) beside the same engine on SQLite and
/// beside what PostgreSQL itself commits (<c>pgbench</c> against the same server, in the same run, before and after).
/// Every level uses worker concurrency 16 per node (the default). Returns whether every run succeeded.
/// </summary>
internal static class PostgresDriver
{
    private const int Concurrency = 16;

    public static async Task<bool> RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine($"Mizzen engine on PostgreSQL — {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average before: {LoadAverage()}");
        await using var postgres = await BenchPostgres.StartAsync(options.PostgresDurable);
        output.WriteLine($"runs {options.Runs} x {options.Stages} bench.noop stages, worker concurrency {Concurrency} per node; PostgreSQL {postgres.Settings} on 127.0.0.1:{postgres.Port}; SQLite synchronous={options.Synchronous}");
        var seconds = TimeSpan.FromSeconds(Math.Max(3, options.RawSeconds));

        var pgbench = new List<(string What, double Before, double After)>();
        async Task<double> Pgbench(string script, int clients) => await postgres.PgbenchAsync(script, clients, seconds);
        var insert1 = await Pgbench("insert", 1);
        var insert16 = await Pgbench("insert", Concurrency);
        var simple16 = await Pgbench("simple", Concurrency);
        output.WriteLine($"  pgbench before: insert c1 {insert1:N0} tps, insert c{Concurrency} {insert16:N0} tps, -N c{Concurrency} {simple16:N0} tps");

        var sqlite = await EngineThroughputRun.RunAsync(options, Concurrency, null, cancellationToken);
        output.WriteLine($"  SQLite: {sqlite.Succeeded}/{sqlite.Runs} SUCCEEDED, {sqlite.StagesPerSecond:N0} stages/s");
        var one = await PostgresEngineRun.RunAsync(options, postgres, 1, Concurrency, cancellationToken);
        output.WriteLine($"  PostgreSQL 1 node: {one.Succeeded}/{one.Runs} SUCCEEDED, {one.StagesPerSecond:N0} stages/s");
        var many = await PostgresEngineRun.RunAsync(options, postgres, options.Nodes, Concurrency, cancellationToken);
        output.WriteLine($"  PostgreSQL {options.Nodes} nodes: {many.Succeeded}/{many.Runs} SUCCEEDED, {many.StagesPerSecond:N0} stages/s");

        pgbench.Add(("insert, 1 client", insert1, await Pgbench("insert", 1)));
        pgbench.Add(($"insert, {Concurrency} clients", insert16, await Pgbench("insert", Concurrency)));
        pgbench.Add(($"-N, {Concurrency} clients", simple16, await Pgbench("simple", Concurrency)));
        var limit = (pgbench[1].Before + pgbench[1].After) / 2;

        output.WriteLine();
        output.WriteLine($"## 5. Engine on PostgreSQL ({postgres.Settings}) beside SQLite and pgbench");
        output.WriteLine("pgbench on the same server, before and after the engine runs (TPS without connection time). 'insert' = a custom script of one");
        output.WriteLine("small INSERT per transaction (the shape of the SQLite raw-commit baseline); '-N' = TPC-B without branch/teller updates.");
        var raw = new ResultTable("pgbench", "tps before", "tps after", "mean");
        foreach (var (what, before, after) in pgbench)
        {
            raw.Add(what, before, after, (before + after) / 2);
        }

        output.WriteLine(raw);
        var table = new ResultTable("store", "nodes", "runs ok", "wall s", "stages/s", "msgs/stage", "msg tx/s", "vs SQLite", "msg tx / pgbench insert c16",
            "run p50 ms", "run p99 ms", "gap p50 ms", "gap p99 ms", "submit s");
        void Row(string store, int nodes, ThroughputResult r) => table.Add(store, nodes, $"{r.Succeeded}/{r.Runs}", r.WallSeconds, r.StagesPerSecond,
            r.MessagesPerStage, r.MessageTransactionsPerSecond, Percent(r.StagesPerSecond / sqlite.StagesPerSecond),
            Percent(r.MessageTransactionsPerSecond / limit), r.RunDurationsMs.At(50), r.RunDurationsMs.At(99), r.StageGapsMs.At(50), r.StageGapsMs.At(99), r.SubmitSeconds);
        Row($"SQLite ({options.Synchronous})", 1, sqlite);
        Row("PostgreSQL", 1, one);
        Row("PostgreSQL", options.Nodes, many);
        output.WriteLine(table);
        output.WriteLine($"{options.Nodes} nodes / 1 node: {Percent(many.StagesPerSecond / one.StagesPerSecond)}. All nodes share this machine's {Environment.ProcessorCount} cores with PostgreSQL and pgbench.");
        output.WriteLine($"Load average after: {LoadAverage()}");
        return new[] { sqlite, one, many }.All(r => r.Succeeded == r.Runs);
    }

    private static string Percent(double ratio) => double.IsFinite(ratio) ? $"{ratio * 100:0} %" : "n/a";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

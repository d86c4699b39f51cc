using System.Globalization;

namespace Mizzen.Engine.Benchmarks;

/// <summary>Command-line knobs of the load driver. Defaults are the goals' sizes; <c>--quick</c> is the CI smoke size.</summary>
internal sealed record BenchOptions
{
    /// <summary>Pipeline runs started per concurrency level. Default 1,000.</summary>
    public int Runs { get; init; } = 1_000;

    /// <summary>No-op stages per pipeline. Default 10.</summary>
    public int Stages { get; init; } = 10;

    /// <summary>Finished runs stored before the list queries are timed. Default 100,000.</summary>
    public int Stored { get; init; } = 100_000;

    /// <summary>Timed calls per list query. Default 200.</summary>
    public int ListCalls { get; init; } = 200;

    /// <summary>Worker concurrency levels (<see cref="Mizzen.Orchestration.Engine.EngineOptions.Concurrency"/>) to try. Default 1, 4, 16.</summary>
    public IReadOnlyList<int> Concurrency { get; init; } = [1, 4, 16];

    /// <summary>Seconds the raw-commit baseline runs for. Default 3.</summary>
    public double RawSeconds { get; init; } = 3;

    /// <summary>An engine run that has not finished after this long is reported as failed. Default 10 minutes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Where the temporary data folders go (a subfolder per phase, deleted afterwards). Default the system temp folder.</summary>
    public string TempRoot { get; init; } = Path.GetTempPath();

    public bool Quick { get; init; }

    /// <summary>Run only the slow-expression measurement (<c>--slow-expression</c>).</summary>
    public bool SlowExpression { get; init; }

    /// <summary>How long the slow URL takes to answer, in seconds. Default 4.</summary>
    public double SlowDelaySeconds { get; init; } = 4;

    /// <summary>Measured 5-stage runs per phase of the slow-expression measurement. Default 300.</summary>
    public int OtherRuns { get; init; } = 300;

    /// <summary>SQLite <c>synchronous</c> for the engine's store and the raw baseline alike: NORMAL (the store's default) or FULL (fsync per commit).</summary>
    public string Synchronous { get; init; } = "NORMAL";

    /// <summary>Run only the PostgreSQL scale-out section (<c>--postgres</c>): engine on 1 and N nodes beside SQLite and pgbench.</summary>
    public bool Postgres { get; init; }

    /// <summary>Nodes of the multi-node PostgreSQL run. Default 3.</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>PostgreSQL's durability for Mizzen and pgbench alike: true = fsync and synchronous_commit on (the defaults).</summary>
    public bool PostgresDurable { get; init; } = true;

    public const string Usage = """
        Mizzen engine load driver (bounded: it stops by itself).
          --runs N            pipeline runs per concurrency level        (default 1000)
          --stages N          no-op stages per pipeline                  (default 10)
          --stored N          finished runs stored for the list queries  (default 100000)
          --list-calls N      timed calls per list query                 (default 200)
          --concurrency a,b   worker concurrency levels                  (default 1,4,16)
          --raw-seconds S     duration of the raw SQLite commit baseline (default 3)
          --temp DIR          parent folder of the temporary databases   (default system temp)
          --synchronous S     SQLite synchronous for engine and baseline: normal | full  (default normal)
          --quick             CI smoke: --runs 100 --stored 5000 --list-calls 50 --concurrency 16 --raw-seconds 1
          --slow-expression   only measure what one slow #fromUrl adds to other runs (p50/p99 with vs without)
          --slow-delay S      seconds the slow URL takes to answer       (default 4)
          --other-runs N      measured 5-stage runs per phase            (default 300)
          --postgres          only the PostgreSQL section: engine on 1 and --nodes nodes beside SQLite and pgbench TPS
          --nodes N           nodes of the multi-node PostgreSQL run     (default 3)
          --pg-fsync on|off   PostgreSQL fsync + synchronous_commit, for Mizzen and pgbench alike (default on)
          --micro [args]      BenchmarkDotNet micro-benchmarks instead (serializer); args go to BenchmarkSwitcher
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = args.Contains("--quick")
            ? new BenchOptions { Runs = 100, Stored = 5_000, ListCalls = 50, Concurrency = [16], RawSeconds = 1, Quick = true, Timeout = TimeSpan.FromSeconds(20) }
            : new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value\n{Usage}");
            options = args[i] switch
            {
                "--quick" => options,
                "--slow-expression" => options with { SlowExpression = true },
                "--postgres" => options with { Postgres = true },
                "--nodes" => options with { Nodes = Positive(Next()) },
                "--pg-fsync" => options with { PostgresDurable = Next() switch { "on" => true, "off" => false, var v => throw new ArgumentException($"--pg-fsync is on or off, not '{v}'") } },
                "--slow-delay" => options with { SlowDelaySeconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--other-runs" => options with { OtherRuns = Positive(Next()) },
                "--runs" => options with { Runs = Positive(Next()) },
                "--stages" => options with { Stages = Positive(Next()) },
                "--stored" => options with { Stored = Positive(Next()) },
                "--list-calls" => options with { ListCalls = Positive(Next()) },
                "--concurrency" => options with { Concurrency = Next().Split(',').Select(Positive).ToList() },
                "--raw-seconds" => options with { RawSeconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--temp" => options with { TempRoot = Next() },
                "--synchronous" => options with { Synchronous = Next().ToUpperInvariant() is var s && s is "NORMAL" or "FULL" ? s : throw new ArgumentException($"--synchronous is normal or full, not '{s}'") },
                _ => throw new ArgumentException($"unknown option '{args[i]}'\n{Usage}"),
            };
        }

        return options;
    }

    private static int Positive(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"'{text}' is not a positive whole number");
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;

namespace Mizzen.Benchmarks.Postgres;

/// <summary>
/// The benches' own PostgreSQL: Debian's binaries (<c>/usr/lib/postgresql/N/bin</c>), <c>initdb</c> into a temporary folder as the
/// <c>postgres</c> user (through <c>setpriv</c>, since PostgreSQL refuses root) on a free loopback port, stopped and deleted on
/// dispose. <paramref name="durable"/> on: PostgreSQL's production defaults (<c>fsync=on</c>, <c>synchronous_commit=on</c>:
/// every commit waits for its WAL flush); off: <c>fsync=off</c>, <c>synchronous_commit=off</c>. The same server serves
/// Mizzen and <c>pgbench</c>, so both see the same settings and disk.
/// </summary>
internal sealed partial class BenchPostgres : IAsyncDisposable
{
    private readonly Process server;
    private readonly string folder;
    private readonly string bin;

    private BenchPostgres(Process server, string folder, string bin, int port, bool durable)
    {
        this.server = server;
        this.folder = folder;
        this.bin = bin;
        Port = port;
        Durable = durable;
    }

    public int Port { get; }

    public bool Durable { get; }

    public string Settings => Durable ? "fsync=on, synchronous_commit=on (production defaults)" : "fsync=off, synchronous_commit=off";

    public static async Task<BenchPostgres> StartAsync(bool durable, int maxConnections = 300)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "postgres"))).Order().LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL's server binaries are not installed (looked in /usr/lib/postgresql/*/bin): apt-get install postgresql");
        }

        var folder = Path.Combine(Path.GetTempPath(), $"mizzen-bench-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:", folder]);
        }

        var data = Path.Combine(folder, "data");
        await RunAsync(asPostgres ? "setpriv" : Path.Combine(bin, "initdb"),
            [.. asPostgres ? ["--reuid=postgres", "--regid=postgres", "--clear-groups", Path.Combine(bin, "initdb")] : Array.Empty<string>(),
                "-D", data, "-U", "mizzen", "--auth=trust", "-E", "UTF8", "--no-instructions"]);
        var port = FreePort();
        var onOff = durable ? "on" : "off";
        string[] postgres =
        [
            Path.Combine(bin, "postgres"), "-D", data, "-p", port.ToString(CultureInfo.InvariantCulture), "-k", folder,
            "-c", "listen_addresses=127.0.0.1", "-c", $"fsync={onOff}", "-c", $"synchronous_commit={onOff}",
            "-c", $"max_connections={maxConnections}", "-c", "shared_buffers=256MB", "-c", "log_min_messages=fatal",
        ];
        var start = new ProcessStartInfo(asPostgres ? "setpriv" : postgres[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in asPostgres ? ["--reuid=postgres", "--regid=postgres", "--clear-groups", .. postgres] : postgres[1..])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start postgres");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var instance = new BenchPostgres(process, folder, bin, port, durable);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(instance.ConnectionString("postgres"));
                await connection.OpenAsync();
                return instance;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or IOException && clock.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public string ConnectionString(string database, int maxPool = 100) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "mizzen", Database = database, MaxPoolSize = maxPool, Timeout = 30, CommandTimeout = 300,
    }.ConnectionString;

    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>
    /// <c>pgbench</c>'s TPS against this server: <paramref name="script"/> is <c>insert</c> (a custom script: one small row
    /// INSERTed per transaction, the shape of the SQLite raw-commit baseline) or <c>simple</c> (<c>pgbench -N</c>, TPC-B
    /// without the contended branch/teller updates: one UPDATE, one SELECT, one INSERT).
    /// </summary>
    public async Task<double> PgbenchAsync(string script, int clients, TimeSpan duration)
    {
        var database = $"pgbench_{script}_{clients}_{Guid.NewGuid():N}"[..40];
        await CreateDatabaseAsync(database);
        string[] common = ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "mizzen"];
        string[] run = ["-n", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
            "-T", Math.Max(1, (int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture)];
        string output;
        if (script == "simple")
        {
            await RunAsync(Path.Combine(bin, "pgbench"), [.. common, "-i", "-q", "-s", "1", database]);
            output = await RunAsync(Path.Combine(bin, "pgbench"), [.. common, .. run, "-N", database]);
        }
        else
        {
            await using (var connection = new NpgsqlConnection(ConnectionString(database)))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand("CREATE TABLE raw_commits (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v TEXT NOT NULL)", connection);
                await create.ExecuteNonQueryAsync();
            }

            var file = Path.Combine(Path.GetTempPath(), $"mizzen-pgbench-{Guid.NewGuid():N}.sql");
            await File.WriteAllTextAsync(file, "INSERT INTO raw_commits (v) VALUES ('0123456789abcdef0123456789abcdef');\n");
            try
            {
                output = await RunAsync(Path.Combine(bin, "pgbench"), [.. common, .. run, "-f", file, database]);
            }
            finally
            {
                File.Delete(file);
            }
        }

        var match = Tps().Match(output);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException($"no tps in pgbench's output:\n{output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!server.HasExited)
        {
            // SIGINT: PostgreSQL's fast shutdown (setpriv exec'd postgres, so the pid is the postmaster's).
            await RunAsync("kill", ["-INT", server.Id.ToString(CultureInfo.InvariantCulture)]);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await server.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                server.Kill();
            }
        }

        server.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
        }

        return await output + await error;
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}

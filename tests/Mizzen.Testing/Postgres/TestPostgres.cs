using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Mizzen.Testing.Postgres;

/// <summary>
/// A real PostgreSQL for tests. Each call of <see cref="CreateDatabaseAsync"/> returns the connection string of a fresh, empty
/// database, so tests never see each other's rows, notifications or advisory locks.
/// The server is the one named by <c>MIZZEN_TEST_POSTGRES</c> (an admin connection string; eng/test.sh starts one for the whole
/// run) or else one this test process starts itself: Debian's PostgreSQL binaries (<c>/usr/lib/postgresql/N/bin</c>),
/// <c>initdb</c> into a temporary folder, run as the <c>postgres</c> user (through <c>setpriv</c>) when the tests run as root (PostgreSQL refuses root),
/// on a free loopback port, with <c>fsync=off</c> (test data is thrown away). A watchdog shell stops it when the test process
/// exits, even by kill -9. Missing binaries are a test failure that says how to install them, never a skip.
/// </summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "MIZZEN_TEST_POSTGRES";

    private static readonly Lazy<Task<string>> Admin = new(StartOrFindAsync);
    private static int counter;

    /// <summary>The admin connection string of the test server (starting it on first use).</summary>
    public static Task<string> AdminConnectionStringAsync() => Admin.Value;

    /// <summary>
    /// Creates an empty database and returns a connection string for it; with <paramref name="template"/>, a copy of that
    /// database (which no session may be connected to) instead.
    /// </summary>
    public static async Task<string> CreateDatabaseAsync(string prefix = "t", string template = "template0")
    {
        var admin = await Admin.Value;
        var name = $"{Sanitize(prefix)}_{Environment.ProcessId}_{Interlocked.Increment(ref counter)}_{Guid.NewGuid().ToString("N")[..8]}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\" ENCODING 'UTF8'", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    private static string Sanitize(string prefix) =>
        new string(prefix.ToLowerInvariant().Where(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_').Take(20).ToArray()) is { Length: > 0 } s ? s : "t";

    private static async Task<string> StartOrFindAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given)
        {
            return given;
        }

        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL's server binaries are not installed (looked in /usr/lib/postgresql/*/bin): apt-get install postgresql, "
            + $"or set {EnvironmentVariable} to an admin connection string");
        var folder = Path.Combine(Path.GetTempPath(), $"mizzen-pg-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(folder);
        var asUser = Environment.UserName == "root" ? "postgres" : null;
        if (asUser is not null)
        {
            await RunAsync("chown", ["-R", $"{asUser}:", folder]);
        }

        var data = Path.Combine(folder, "data");
        await RunAsync(Wrap(asUser, Path.Combine(bin, "initdb")), [.. WrapArgs(asUser, Path.Combine(bin, "initdb")),
            "-D", data, "-U", "mizzen", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
        var port = FreePort();
        string[] server =
        [
            Path.Combine(bin, "postgres"), "-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-k", folder, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off", "-c", "max_connections=500", "-c", "shared_buffers=64MB", "-c", "log_min_messages=fatal",
        ];

        // The watchdog: postgres runs in the background of a shell that stops it (fast shutdown) once the test process is gone.
        var quoted = string.Join(' ', server.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var launch = asUser is null ? quoted : $"setpriv --reuid={asUser} --regid={asUser} --clear-groups {quoted}";
        var script = $"{launch} > '{folder}/server.log' 2>&1 & pg=$!; "
                     + $"while kill -0 {Environment.ProcessId} 2>/dev/null && kill -0 $pg 2>/dev/null; do sleep 1; done; "
                     + "kill -INT $pg 2>/dev/null; wait $pg; rm -rf '" + folder + "'";
        var watchdog = new ProcessStartInfo("setsid", ["sh", "-c", script]) { UseShellExecute = false, RedirectStandardOutput = false };
        Process.Start(watchdog)?.Dispose();

        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = "mizzen", Database = "postgres", Pooling = true, MaxPoolSize = 20,
            Timeout = 15, CommandTimeout = 60,
        }.ConnectionString;
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(admin);
                await connection.OpenAsync();
                return admin;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or IOException)
            {
                if (TimeProvider.System.GetUtcNow() > deadline)
                {
                    var log = File.Exists(Path.Combine(folder, "server.log")) ? await File.ReadAllTextAsync(Path.Combine(folder, "server.log")) : "(no log)";
                    throw new InvalidOperationException($"the test PostgreSQL did not accept connections on port {port} within 30 s: {log}", e);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
            }
        }
    }

    // setpriv execs the program itself (no intermediate process), so signals sent to the pid reach PostgreSQL.
    private static string Wrap(string? asUser, string program) => asUser is null ? program : "setpriv";

    private static string[] WrapArgs(string? asUser, string program) =>
        asUser is null ? [] : [$"--reuid={asUser}", $"--regid={asUser}", "--clear-groups", program];

    private static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "postgres")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, string[] arguments)
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
    }
}

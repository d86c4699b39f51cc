using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Secrets;

/// <summary>
/// The real server with three secrets, one per source — <c>teletraan-token</c> in configuration (operator only), <c>ci-token</c>
/// in a file of a secrets folder and <c>env-token</c> in an environment variable (both allowed in pipelines) — the Teletraan
/// sample's preconfigured stage pointed at a <see cref="FakeTeletraan"/>, and every log line at every level recorded.
/// <see cref="Leaks"/> says where any secret value shows up.
/// </summary>
public sealed class SecretTestServer : IAsyncDisposable
{
    public const string OperatorToken = "tt-op-7Hq2kZ9xV4mN";
    public const string FileToken = "ci-file-Lp3Rw8Yt6Uq1";
    public const string EnvToken = "env-Xc5Vb2Nm9Qa7";
    public const string LegacyToken = "legacy-Jd8Fk2Lw5Pz0";

    private readonly string secretsFolder;
    private readonly string environmentVariable;

    private SecretTestServer(RunningServer server, FakeTeletraan teletraan, AllLogs logs, string secretsFolder, string environmentVariable)
    {
        Server = server;
        Teletraan = teletraan;
        Logs = logs;
        this.secretsFolder = secretsFolder;
        this.environmentVariable = environmentVariable;
    }

    public static readonly string[] Values = [OperatorToken, FileToken, EnvToken, LegacyToken];

    public RunningServer Server { get; }

    public FakeTeletraan Teletraan { get; }

    public AllLogs Logs { get; }

    public static async Task<SecretTestServer> StartAsync()
    {
        var teletraan = await FakeTeletraan.StartAsync(OperatorToken);
        var folder = Directory.CreateTempSubdirectory("mizzen-secrets-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "ci-token"), FileToken + "\n");
        var prefix = $"MIZZEN_TEST_SECRET_{Guid.NewGuid():N}"[..28] + "_";
        var variable = prefix + "ENV_TOKEN";
        Environment.SetEnvironmentVariable(variable, EnvToken);
        var sample = JsonNode.Parse(await File.ReadAllTextAsync(SamplePath))!;
        var hooks = sample["Mizzen"]!["Webhooks"]!.DeepClone();
        foreach (var hook in hooks["Preconfigured"]!.AsArray())
        {
            hook!["url"] = hook["url"]!.GetValue<string>().Replace("http://teletraan.internal.example:8080", teletraan.BaseUrl.TrimEnd('/'), StringComparison.Ordinal);
        }

        var server = await RunningServer.StartAsync(demo: false, [("local", "25470-25479")], data =>
        {
            var path = Path.Combine(data, "mizzen.json");
            var settings = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var mizzen = settings["Mizzen"]!.AsObject();
            mizzen["Secrets"] = new JsonObject { ["teletraan-token"] = OperatorToken };
            mizzen["SecretStore"] = new JsonObject
            {
                ["Directory"] = folder, ["EnvironmentPrefix"] = prefix, ["AllowedInPipelines"] = new JsonArray("ci-token", "env-token"),
            };
            mizzen["Webhooks"] = hooks;
            settings["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Trace" } };
            File.WriteAllText(path, settings.ToJsonString());
        });
        var logs = new AllLogs();
        server.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        return new SecretTestServer(server, teletraan, logs, folder, variable);
    }

    /// <summary>samples/secrets/teletraan.mizzen.json, the sample operators copy.</summary>
    public static string SamplePath
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Mizzen.slnx")))
            {
                folder = folder.Parent;
            }

            return Path.Combine(folder?.FullName ?? throw new InvalidOperationException("no Mizzen.slnx above the test binaries"), "samples", "secrets", "teletraan.mizzen.json");
        }
    }

    /// <summary>Each place (<paramref name="where"/>) whose text holds a secret value, and which one.</summary>
    public static IEnumerable<string> Leaks(string where, string text) =>
        Values.Where(v => text.Contains(v, StringComparison.Ordinal)).Select(v => $"{where} holds {v}");

    /// <summary>Every file of the data folder but the settings file (which holds the configured secret by design): the SQLite database, its WAL, ...</summary>
    public IEnumerable<string> LeaksInDataFolder()
    {
        foreach (var file in Directory.EnumerateFiles(Server.DataFolder, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) == "mizzen.json")
            {
                continue;
            }

            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }

            foreach (var value in Values)
            {
                if (bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(value)) >= 0 || bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(value)) >= 0)
                {
                    yield return $"{Path.GetRelativePath(Server.DataFolder, file)} holds {value}";
                }
            }
        }
    }

    public IEnumerable<string> LeaksInLogs() =>
        Logs.Entries.SelectMany(l => Leaks($"log {l.Category} ({l.Level})", l.Text));

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Teletraan.DisposeAsync();
        Environment.SetEnvironmentVariable(environmentVariable, null);
        Directory.Delete(secretsFolder, recursive: true);
    }
}

/// <summary>Every log line at every level, with its exception, as text.</summary>
public sealed class AllLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Text)> entries = new();

    public IReadOnlyList<(string Category, LogLevel Level, string Text)> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, entries);

    public void Dispose()
    {
    }

    private sealed class Recorder(string category, ConcurrentQueue<(string, LogLevel, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((category, logLevel, formatter(state, exception) + (exception is null ? "" : " " + exception) + " " + state));
    }
}

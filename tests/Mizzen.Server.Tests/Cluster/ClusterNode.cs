using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Durability;

namespace Mizzen.Server.Tests.Cluster;

/// <summary>
/// One Mizzen node of a cluster test: a real <c>dotnet Mizzen.Server.dll serve</c> child process with its own node id, port and
/// data folder (settings in <c>&lt;data&gt;/mizzen.json</c>), on a shared PostgreSQL database. It records every line the server
/// writes with the test's receive time, so a test can tell when a node logged something relative to another node's death.
/// </summary>
public sealed class ClusterNode : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<LogLine> lines = new();

    private ClusterNode(string id, Process process, int port, string dataFolder)
    {
        Id = id;
        this.process = process;
        DataFolder = dataFolder;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Id { get; }

    public int Pid { get; private set; }

    public string DataFolder { get; }

    public HttpClient Http { get; }

    /// <summary>When <see cref="Kill"/> sent SIGKILL; null while the node lives.</summary>
    public DateTimeOffset? KilledAt { get; private set; }

    public IReadOnlyList<LogLine> Lines => [.. lines];

    /// <summary>
    /// Starts a node and waits until it answers <c>/health/ready</c>. <paramref name="settings"/> are configuration keys
    /// (<c>Mizzen:Engine:Lease</c>) written into the node's <c>mizzen.json</c> beside the storage and node settings.
    /// </summary>
    public static async Task<ClusterNode> StartAsync(string id, string connectionString, IReadOnlyDictionary<string, string> settings)
    {
        var data = Directory.CreateTempSubdirectory($"mizzen-cluster-{id}-").FullName;
        var all = new Dictionary<string, string>(settings)
        {
            ["Mizzen:Storage:Provider"] = "postgres",
            ["Mizzen:Storage:ConnectionString"] = connectionString,
            ["Mizzen:Node:Id"] = id,
        };
        await File.WriteAllTextAsync(Path.Combine(data, "mizzen.json"), Nest(all).ToJsonString());

        var port = ServerProcess.FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { ServerProcess.ServerDll(), "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", data })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start node {id}");
        var node = new ClusterNode(id, process, port, data) { Pid = process.Id };
        process.OutputDataReceived += (_, e) => node.Record(e.Data);
        process.ErrorDataReceived += (_, e) => node.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var probe = new HttpClient { BaseAddress = node.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            await Infrastructure.Eventually.GetAsync(
                async () => process.HasExited
                    ? throw new ShouldAssertException($"node {id} exited with code {process.ExitCode}:\n{node.Output()}")
                    : (await probe.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode ? "ready" : null,
                TimeSpan.FromSeconds(120),
                $"node {id} to answer /health/ready");
            return node;
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no lease release, no unlisten — a crash.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        KilledAt = DateTimeOffset.UtcNow;
        process.WaitForExit();
    }

    /// <summary>Lines containing <paramref name="text"/>, with the instant the test received them.</summary>
    public IReadOnlyList<LogLine> LinesContaining(string text) => [.. lines.Where(l => l.Text.Contains(text, StringComparison.Ordinal))];

    /// <summary>Everything the node wrote so far (for failure messages).</summary>
    public string Output() => string.Join('\n', lines.Select(l => l.Text));

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
        Http.Dispose();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(new LogLine(DateTimeOffset.UtcNow, line));
        }
    }

    private static JsonObject Nest(IReadOnlyDictionary<string, string> settings)
    {
        var root = new JsonObject();
        foreach (var (key, value) in settings)
        {
            var parts = key.Split(':');
            var node = root;
            foreach (var part in parts[..^1])
            {
                node = node[part] as JsonObject ?? (JsonObject)(node[part] = new JsonObject());
            }

            node[parts[^1]] = value;
        }

        return root;
    }
}

/// <summary>A line a node wrote, and when the test received it (comparable across nodes: one clock, the test's).</summary>
public sealed record LogLine(DateTimeOffset ReceivedAt, string Text);

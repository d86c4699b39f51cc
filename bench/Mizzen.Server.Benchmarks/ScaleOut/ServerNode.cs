using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Mizzen.Server.Benchmarks.ScaleOut;

/// <summary>A real server process on PostgreSQL with its own node id, port and data folder (settings in its mizzen.json).</summary>
internal sealed class ServerNode : IDisposable
{
    private readonly Process process;

    private ServerNode(string id, Process process, int port, string folder)
    {
        Id = id;
        this.process = process;
        Folder = folder;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Id { get; }

    public string Folder { get; }

    public HttpClient Http { get; }

    public static async Task<ServerNode> StartAsync(string serverDll, string id, string connectionString, TimeSpan lease)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"mizzen-scaleout-{id}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var settings = new JsonObject
        {
            ["Mizzen"] = new JsonObject
            {
                ["Storage"] = new JsonObject { ["Provider"] = "postgres", ["ConnectionString"] = connectionString },
                ["Node"] = new JsonObject { ["Id"] = id },
                ["Engine"] = new JsonObject { ["Lease"] = lease.ToString("c", CultureInfo.InvariantCulture) },
            },
        };
        await File.WriteAllTextAsync(Path.Combine(folder, "mizzen.json"), settings.ToJsonString());
        var port = Shared.BenchServer.FreePort();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { serverDll, "serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--data", folder })
        {
            info.ArgumentList.Add(a);
        }

        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new ServerNode(id, process, port, folder);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await node.Http.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                node.Dispose();
                throw new InvalidOperationException($"node {id} did not become ready:\n{string.Join('\n', output)}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

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
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

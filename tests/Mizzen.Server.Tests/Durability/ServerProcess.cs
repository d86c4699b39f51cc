using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mizzen.Server.Tests.Durability;

/// <summary>The server as a real child process (<c>dotnet Mizzen.Server.dll serve</c>), so a test can kill -9 it.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process process;

    private ServerProcess(Process process, int port)
    {
        this.process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    public int Pid => process.Id;

    /// <summary>Runs <c>serve</c> with <paramref name="args"/> until it exits (for servers that must refuse to start).</summary>
    public static async Task<(int Exit, string Out, string Err)> RunToExitAsync(TimeSpan within, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[ServerDll(), "serve", .. args])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server");
        using var timeout = new CancellationTokenSource(within);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the server did not exit within {within}: it should have refused to start");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    public static async Task<ServerProcess> StartAsync(string dataFolder, int port)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { ServerDll(), "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", dataFolder })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, port);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with code {process.ExitCode}");
            }

            try
            {
                if ((await client.GetAsync(new Uri(server.Address, "/health/ready"))).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the probe's 2 s: not ready yet.
            }
            catch (TaskCanceledException)
            {
                // A busy machine: a server that is still starting may take longer than the 2 s per attempt.
            }

#pragma warning disable RS0030 // Poll interval of the readiness wait on a real child process.
            await Task.Delay(100);
#pragma warning restore RS0030
        }

        server.Dispose();
        throw new TimeoutException("the server did not become ready within 30 s");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing — a crash.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The server build next to this test build (same configuration).</summary>
    internal static string ServerDll()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name;
        for (var dir = testBin; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Mizzen.Server", "bin", configuration, testBin.Name, "Mizzen.Server.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("Mizzen.Server.dll was not found; build the solution first");
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }
}

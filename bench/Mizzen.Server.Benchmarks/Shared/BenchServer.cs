using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Mizzen.Server.Benchmarks.Shared;

/// <summary>
/// The real server (<c>dotnet Mizzen.Server.dll serve</c>) as a child process on a free loopback port, started and awaited until
/// <c>/health/ready</c>: every figure of this bench times the process a user runs, not an in-process host.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output;

    private BenchServer(Process process, ConcurrentQueue<string> output, int port, HttpClient http)
    {
        this.process = process;
        this.output = output;
        Port = port;
        Http = http;
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public HttpClient Http { get; }

    public int ProcessId => process.Id;

    /// <summary>From just before the process was started to the first ready answer.</summary>
    public TimeSpan Startup { get; private set; }

    /// <summary>Starts the server on <paramref name="folder"/> (its <c>mizzen.json</c>, if any, holds the settings) and waits until it is ready.</summary>
    public static async Task<BenchServer> StartAsync(string serverDll, string folder, TimeSpan? readyTimeout = null, TimeSpan? poll = null)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { serverDll, "serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--data", folder })
        {
            info.ArgumentList.Add(a);
        }

        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        var output = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new BenchServer(process, output, port, http);
        var limit = readyTimeout ?? TimeSpan.FromSeconds(30);
        using var probe = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            try
            {
                if ((await probe.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode)
                {
                    server.Startup = clock.Elapsed;
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            if (process.HasExited || clock.Elapsed > limit)
            {
                var log = server.Output();
                await server.DisposeAsync();
                throw new TimeoutException($"the server was not ready in {limit.TotalSeconds:0} s:\n{log}");
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(5));
        }
    }

    /// <summary>Resident memory (VmRSS) of the server process now.</summary>
    public double ResidentMb()
    {
        var rss = File.ReadAllLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>
    /// CPU time the server process has used so far (user + system, from <c>/proc/{pid}/stat</c>, 10 ms ticks): unlike wall time,
    /// it does not grow when other processes share the cores.
    /// </summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>The last lines the server wrote (for an error message).</summary>
    public string Output() => string.Join('\n', output.TakeLast(60));

    /// <summary>
    /// SIGTERM and wait up to <paramref name="grace"/> for a graceful stop (so a server set to stop its local instances on shutdown
    /// does), then SIGKILL.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine($"  the server did not stop within {grace.TotalSeconds:0} s of SIGTERM: killed");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Http.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        output.Enqueue(line ?? "");
        while (output.Count > 500 && output.TryDequeue(out _))
        {
        }
    }
}

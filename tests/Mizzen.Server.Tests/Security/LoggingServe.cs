using System.Collections.Concurrent;
using System.Diagnostics;
using Mizzen.Server.Tests.Durability;

namespace Mizzen.Server.Tests.Security;

/// <summary>
/// <c>serve</c> as a child process on a free loopback port with extra environment variables, keeping every line it writes to stdout and
/// stderr, so a test can search the server's whole log output (start-up included) for what must never be there.
/// </summary>
internal sealed class LoggingServe : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private LoggingServe(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<LoggingServe> StartAsync(string data, params (string Name, string Value)[] environment)
    {
        var port = ServerProcess.FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[ServerProcess.ServerDll(), "serve", "--port", $"{port}", "--data", data])
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server");
        var server = new LoggingServe(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(2) };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!deadline.IsCancellationRequested)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with code {process.ExitCode}: {server.Output}");
            }

            try
            {
                if ((await probe.GetAsync("/health/ready", deadline.Token)).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

#pragma warning disable RS0030 // Poll interval of the readiness wait on a real child process.
            await Task.Delay(100, CancellationToken.None);
#pragma warning restore RS0030
        }

        server.Dispose();
        throw new TimeoutException($"the server did not become ready within 60 s: {server.Output}");
    }

    public string Output => string.Join('\n', lines);

    /// <summary>Stops the server as Ctrl+C would (SIGINT, so its console logger flushes) and answers everything it wrote.</summary>
    public async Task<string> StopAsync()
    {
        using (var signal = Process.Start("kill", ["-INT", $"{process.Id}"]))
        {
            await signal.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        process.WaitForExit(); // the redirected streams' last lines
        return Output;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
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

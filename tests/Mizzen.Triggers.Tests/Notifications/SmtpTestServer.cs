using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Mizzen.Triggers.Tests.Notifications;

/// <summary>
/// A real SMTP server: Debian's aiosmtpd (<c>/usr/bin/python3 -m aiosmtpd</c>, not a pyenv python on PATH) on a free 127.0.0.1 port,
/// delivering every message into a maildir that <see cref="Messages"/> reads back. <see cref="StopAsync"/> kills it (the port then
/// refuses connections: an SMTP server that is down); <see cref="StartAsync"/> starts it again on the same port.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string maildir = Path.Combine(Path.GetTempPath(), "mizzen-smtp-" + Guid.NewGuid().ToString("N"));
    private Process? process;

    public int Port { get; } = FreePort();

    public static async Task<SmtpTestServer> StartNewAsync()
    {
        var server = new SmtpTestServer();
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException("Debian's python3 is missing: apt-get install -y python3-aiosmtpd (eng/test.sh does)");
        }

        var start = new ProcessStartInfo(Python) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", maildir })
        {
            start.ArgumentList.Add(arg);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("aiosmtpd did not start");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"aiosmtpd exited with code {process.ExitCode} (apt-get install -y python3-aiosmtpd): {errors}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                // Not listening yet.
            }

#pragma warning disable RS0030 // Poll interval while a real aiosmtpd process starts listening.
            await Task.Delay(TimeSpan.FromMilliseconds(50));
#pragma warning restore RS0030
        }

        throw new TimeoutException($"aiosmtpd did not listen on 127.0.0.1:{Port} within 30 s");
    }

    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        process = null;
    }

    /// <summary>The messages delivered so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Messages()
    {
        var delivered = Path.Combine(maildir, "new");
        return Directory.Exists(delivered)
            ? [.. new DirectoryInfo(delivered).GetFiles().OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name).Select(f => MimeMessage.Load(f.FullName))]
            : [];
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(maildir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mizzen.Canary.Tests.Sources;

/// <summary>
/// Starts a real Prometheus (the <c>prometheus</c> binary, not a system service) scraping a small Kestrel exporter
/// on 127.0.0.1 every second. The exporter serves <c>canary_latency_seconds</c> for a baseline and a canary scope
/// with known values. Fails with install instructions when the binary is missing.
/// </summary>
public sealed class PrometheusFixture : IAsyncLifetime
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "mizzen-canary-prom-" + Guid.NewGuid().ToString("N"));
    private WebApplication? exporter;
    private Process? prometheus;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>When the series were first seen by a query; points before it are gaps.</summary>
    public DateTimeOffset FirstSampleAt { get; private set; }

    public string Version { get; private set; } = string.Empty;

    public static string? FindBinary()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "prometheus")).Append("/usr/bin/prometheus");
        return candidates.FirstOrDefault(File.Exists);
    }

    public async Task InitializeAsync()
    {
        var binary = FindBinary() ?? throw new InvalidOperationException(
            "The prometheus binary was not found on PATH. Install it to run these tests: `sudo apt-get install -y prometheus` (Debian/Ubuntu), "
            + "or download it from https://prometheus.io/download/ and put it on PATH.");
        Directory.CreateDirectory(dataDirectory);
        var exporterPort = await StartExporterAsync();
        var port = FreePort();
        var configPath = Path.Combine(dataDirectory, "prometheus.yml");
        await File.WriteAllTextAsync(configPath, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: canary-test
                static_configs:
                  - targets: ['127.0.0.1:{exporterPort}']
            """);
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { $"--config.file={configPath}", $"--storage.tsdb.path={Path.Combine(dataDirectory, "data")}", $"--web.listen-address=127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }

        prometheus = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        prometheus.OutputDataReceived += (_, _) => { };
        prometheus.ErrorDataReceived += (_, _) => { };
        prometheus.BeginOutputReadLine();
        prometheus.BeginErrorReadLine();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        await WaitForSeriesAsync();
    }

    public async Task DisposeAsync()
    {
        if (prometheus is { HasExited: false })
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
        }

        prometheus?.Dispose();
        if (exporter is not null)
        {
            await exporter.StopAsync();
            await exporter.DisposeAsync();
        }

        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is not worth failing a run over.
        }
    }

    private async Task<int> StartExporterAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        exporter = builder.Build();
        exporter.MapGet("/metrics", () => Results.Text(
            "# TYPE canary_latency_seconds gauge\n"
            + "canary_latency_seconds{scope=\"app-baseline\",namespace=\"prod\"} 1.5\n"
            + "canary_latency_seconds{scope=\"app-canary\",namespace=\"prod\"} 3\n"
            + "canary_latency_seconds{scope=\"app-canary\",namespace=\"staging\"} 7\n",
            "text/plain; version=0.0.4"));
        await exporter.StartAsync();
        return new Uri(exporter.Urls.First()).Port;
    }

    private async Task WaitForSeriesAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (prometheus!.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with code {prometheus.ExitCode}");
            }

            try
            {
                var json = await http.GetStringAsync("api/v1/query?query=canary_latency_seconds");
                using var doc = JsonDocument.Parse(json);
                var results = doc.RootElement.GetProperty("data").GetProperty("result");
                if (results.GetArrayLength() == 3)
                {
                    var sampleSeconds = results[0].GetProperty("value")[0].GetDouble();
                    FirstSampleAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(sampleSeconds * 1000));
                    var build = await http.GetStringAsync("api/v1/status/buildinfo");
                    using var buildDoc = JsonDocument.Parse(build);
                    Version = buildDoc.RootElement.GetProperty("data").GetProperty("version").GetString() ?? "?";
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

#pragma warning disable RS0030 // Poll interval while a real Prometheus scrapes the exporter (the loop waits on that condition).
            await Task.Delay(TimeSpan.FromMilliseconds(200));
#pragma warning restore RS0030
        }

        throw new TimeoutException("Prometheus did not scrape the test exporter within 60 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}

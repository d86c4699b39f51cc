using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mizzen.Testing.Prometheus;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c> binary as a child process, its TSDB in a temporary folder) scraping, every second, a
/// small Kestrel exporter on 127.0.0.1 whose gauges the test sets with <see cref="Set"/>. For tests that judge canaries on metrics a
/// real metric store answers. Fails with install instructions when the binary is missing. Dispose it: the process is killed.
/// </summary>
public sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mizzen-prom-").FullName;
    private readonly ConcurrentDictionary<string, double> gauges = new(StringComparer.Ordinal);
    private WebApplication? exporter;
    private Process? process;

    private PrometheusProcess()
    {
    }

    /// <summary>Prometheus's HTTP API, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public static string? FindBinary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "prometheus")).Append("/usr/bin/prometheus").FirstOrDefault(File.Exists);

    /// <summary>Starts the exporter (serving what <paramref name="seed"/> sets) and Prometheus, and returns once Prometheus has scraped it.</summary>
    public static async Task<PrometheusProcess> StartAsync(Action<PrometheusProcess>? seed = null)
    {
        var binary = FindBinary() ?? throw new InvalidOperationException(
            "The prometheus binary was not found on PATH. Install it to run these tests: `sudo apt-get install -y prometheus` (Debian/Ubuntu).");
        var prometheus = new PrometheusProcess();
        seed?.Invoke(prometheus);
        try
        {
            await prometheus.StartExporterAsync();
            prometheus.StartPrometheus(binary);
            await prometheus.WaitUntilScrapedAsync();
            return prometheus;
        }
        catch
        {
            await prometheus.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sets a gauge the exporter serves from its next scrape on, e.g. <c>Set("web_latency_seconds", 0.2, ("deployment", "web-canary"))</c>.</summary>
    public void Set(string metric, double value, params (string Name, string Value)[] labels)
    {
        var text = labels.Length == 0 ? metric : $"{metric}{{{string.Join(",", labels.Select(l => $"{l.Name}=\"{l.Value}\""))}}}";
        gauges[text] = value;
    }

    /// <summary>Waits until an instant query of <paramref name="promql"/> answers <paramref name="value"/> (the exporter's change was scraped).</summary>
    public async Task WaitForValueAsync(string promql, double value)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTimeOffset.UtcNow < deadline)
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(promql)));
            var results = doc.RootElement.GetProperty("data").GetProperty("result");
            if (results.GetArrayLength() == 1
                && double.Parse(results[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture) == value)
            {
                return;
            }

#pragma warning disable RS0030 // Poll interval while a real Prometheus scrapes the exporter's new value.
            await Task.Delay(TimeSpan.FromMilliseconds(200));
#pragma warning restore RS0030
        }

        throw new TimeoutException($"waiting for Prometheus to answer {promql} = {value} (30 s)");
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        if (exporter is not null)
        {
            await exporter.StopAsync();
            await exporter.DisposeAsync();
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Prometheus may still be closing its TSDB files; a temporary folder is not worth failing a test over.
        }
    }

    private async Task StartExporterAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        exporter = builder.Build();
        exporter.MapGet("/metrics", () =>
        {
            var body = new StringBuilder();
            foreach (var metric in gauges.Keys.Select(k => k.Split('{')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                body.Append(CultureInfo.InvariantCulture, $"# TYPE {metric} gauge\n");
                foreach (var (series, value) in gauges.Where(g => g.Key.Split('{')[0] == metric).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    body.Append(CultureInfo.InvariantCulture, $"{series} {value.ToString("R", CultureInfo.InvariantCulture)}\n");
                }
            }

            return Results.Text(body.ToString(), "text/plain; version=0.0.4");
        });
        await exporter.StartAsync();
    }

    private void StartPrometheus(string binary)
    {
        var port = FreePort();
        var config = Path.Combine(folder, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: mizzen-test
                static_configs:
                  - targets: ['{new Uri(exporter!.Urls.First()).Authority}']
            """);
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder, "data")}", $"--web.listen-address=127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>Polls Prometheus until the exporter's target is up (a real process: no test clock can move it).</summary>
    private async Task WaitUntilScrapedAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (process!.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with code {process.ExitCode}");
            }

            try
            {
                using var doc = JsonDocument.Parse(await http.GetStringAsync("api/v1/query?query=up%7Bjob%3D%22mizzen-test%22%7D"));
                var results = doc.RootElement.GetProperty("data").GetProperty("result");
                if (results.GetArrayLength() == 1 && results[0].GetProperty("value")[1].GetString() == "1")
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

#pragma warning disable RS0030 // Poll interval while a real Prometheus starts and scrapes (the loop waits on that condition).
            await Task.Delay(TimeSpan.FromMilliseconds(200));
#pragma warning restore RS0030
        }

        throw new TimeoutException("waiting for Prometheus to scrape the test exporter (60 s)");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

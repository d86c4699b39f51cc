using System.Text.Json;
using Mizzen.Testing.Prometheus;

namespace Mizzen.Canary.Tests.Sources;

/// <summary>
/// A real Prometheus (<see cref="PrometheusProcess"/>: the <c>prometheus</c> binary scraping a Kestrel exporter on 127.0.0.1 every second)
/// whose exporter serves <c>canary_latency_seconds</c> for a baseline and a canary scope with known values.
/// </summary>
public sealed class PrometheusFixture : IAsyncLifetime
{
    private PrometheusProcess? prometheus;

    public Uri BaseAddress => prometheus!.BaseAddress;

    /// <summary>When the series were first seen by a query; points before it are gaps.</summary>
    public DateTimeOffset FirstSampleAt { get; private set; }

    public async Task InitializeAsync()
    {
        prometheus = await PrometheusProcess.StartAsync(p =>
        {
            p.Set("canary_latency_seconds", 1.5, ("scope", "app-baseline"), ("namespace", "prod"));
            p.Set("canary_latency_seconds", 3, ("scope", "app-canary"), ("namespace", "prod"));
            p.Set("canary_latency_seconds", 7, ("scope", "app-canary"), ("namespace", "staging"));
        });
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var doc = JsonDocument.Parse(await http.GetStringAsync("api/v1/query?query=canary_latency_seconds"));
        var results = doc.RootElement.GetProperty("data").GetProperty("result");
        if (results.GetArrayLength() != 3)
        {
            throw new InvalidOperationException($"Prometheus scraped {results.GetArrayLength()} of the 3 canary_latency_seconds series");
        }

        FirstSampleAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(results[0].GetProperty("value")[0].GetDouble() * 1000));
    }

    public async Task DisposeAsync()
    {
        if (prometheus is not null)
        {
            await prometheus.DisposeAsync();
        }
    }
}

namespace Mizzen.Canary.Sources.Prometheus;

/// <summary>Where the <c>prometheus</c> metric source sends queries, and how it retries.</summary>
public sealed class PrometheusSourceOptions
{
    /// <summary>The Prometheus server, for example <c>http://127.0.0.1:9090/</c>.</summary>
    public Uri BaseAddress { get; set; } = new("http://127.0.0.1:9090/");

    public MetricsFetchRetryOptions Retry { get; set; } = new();
}

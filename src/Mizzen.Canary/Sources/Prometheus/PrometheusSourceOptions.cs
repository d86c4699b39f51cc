namespace Mizzen.Canary.Sources.Prometheus;

/// <summary>
/// Where the <c>prometheus</c> metric source sends queries, and how it retries. The server binds it from configuration
/// section <see cref="SectionName"/> (<c>"Mizzen": {"Canary": {"Prometheus": {"BaseAddress": "http://prometheus:9090/"}}}</c>,
/// or <c>MIZZEN_Mizzen__Canary__Prometheus__BaseAddress</c>); <see cref="PrometheusSourceOptionsValidator"/> checks it at start.
/// </summary>
public sealed class PrometheusSourceOptions
{
    public const string SectionName = "Mizzen:Canary:Prometheus";

    /// <summary>The Prometheus server, an absolute http or https URL; default <c>http://127.0.0.1:9090/</c>.</summary>
    public Uri BaseAddress { get; set; } = new("http://127.0.0.1:9090/");

    public MetricsFetchRetryOptions Retry { get; set; } = new();
}

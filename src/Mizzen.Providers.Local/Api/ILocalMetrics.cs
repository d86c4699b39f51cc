namespace Mizzen.Providers.Local.Api;

/// <summary>
/// Traffic metrics recorded by the load balancers (and scraped from instances that ask for it), for <c>/metrics</c> and canary analysis.
/// </summary>
public interface ILocalMetrics
{
    /// <summary>Writes the load balancers' counters in Prometheus text format (the server's <c>/metrics</c> includes them).</summary>
    void WritePrometheus(TextWriter writer);

    /// <summary>
    /// Evaluates <paramref name="metric"/> for one server group at <paramref name="start"/>, start+step, ... up to <paramref name="end"/>;
    /// a point without data is NaN. Metric names: <c>request_rate</c>, <c>request_rate:5xx</c>, <c>error_rate</c> (5xx share),
    /// <c>status_ratio:4xx</c>, <c>latency_p50</c>/<c>latency_p99</c> (seconds), <c>active_connections</c>, and for scraped series
    /// <c>name{label="v"}</c> (sum of raw values) or <c>rate(name{label="v"})</c> (per-second rate).
    /// </summary>
    TimeSeriesResult QueryRange(string account, string serverGroup, string metric, DateTimeOffset start, DateTimeOffset end, TimeSpan step);
}

public readonly record struct TimeSeriesPoint(DateTimeOffset Timestamp, double Value);

public sealed record TimeSeriesResult(string Account, string ServerGroup, string Metric, TimeSpan Step, IReadOnlyList<TimeSeriesPoint> Points);

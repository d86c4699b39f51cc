namespace Mizzen.Providers.Local.Metrics;

/// <summary><see cref="ILocalMetrics"/>: Prometheus text for <c>/metrics</c>, range queries for canary analysis.</summary>
internal sealed class LocalMetrics(TrafficRegistry traffic, MetricQueryEngine queries) : ILocalMetrics
{
    public void WritePrometheus(TextWriter writer) => PrometheusTrafficWriter.Write(writer, traffic.All);

    public TimeSeriesResult QueryRange(string account, string serverGroup, string metric, DateTimeOffset start, DateTimeOffset end, TimeSpan step) =>
        queries.QueryRange(account, serverGroup, metric, start, end, step);
}

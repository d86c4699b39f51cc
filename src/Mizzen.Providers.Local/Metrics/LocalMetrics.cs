namespace Mizzen.Providers.Local.Metrics;

/// <summary><see cref="ILocalMetrics"/>: Prometheus text for <c>/metrics</c>, range queries for canary analysis.</summary>
internal sealed class LocalMetrics(TrafficRegistry traffic, MetricQueryEngine queries, LocalAccountRegistry accounts) : ILocalMetrics
{
    public void WritePrometheus(TextWriter writer) => PrometheusTrafficWriter.Write(writer, traffic.All);

    /// <summary>A remote account's series are recorded on its owner node: refused (<see cref="AccountOnOtherNodeException"/>), not answered with no data.</summary>
    public TimeSeriesResult QueryRange(string account, string serverGroup, string metric, DateTimeOffset start, DateTimeOffset end, TimeSpan step)
    {
        accounts.ThrowIfRemote(account);
        return queries.QueryRange(account, serverGroup, metric, start, end, step);
    }
}

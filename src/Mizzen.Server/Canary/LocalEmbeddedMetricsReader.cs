using Mizzen.Canary.Sources.Embedded;
using Mizzen.Providers.Local.Api;

namespace Mizzen.Server.Canary;

/// <summary>
/// The canary's <c>embedded</c> metric source over the local provider's time-series store. Built-in traffic metrics
/// (<c>error_rate</c>, <c>latency_p99</c> …) take no labels; for scraped series the labels become the selector:
/// <c>name{l="v"}</c>, or inside <c>rate(name)</c>.
/// </summary>
public sealed class LocalEmbeddedMetricsReader(ILocalMetrics metrics) : IEmbeddedMetricsReader
{
    public Task<IReadOnlyList<EmbeddedSeries>> QueryRangeAsync(
        string account, string serverGroup, string metricName, IReadOnlyDictionary<string, string> labels, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        cancellationToken.ThrowIfCancellationRequested();
        var result = metrics.QueryRange(account, serverGroup, Selector(metricName, labels), start, end, step);
        IReadOnlyList<EmbeddedSeries> series = result.Points.Count == 0
            ? []
            : [new EmbeddedSeries(labels, result.Points[0].Timestamp, result.Step, result.Points.Select(p => p.Value).ToList())];
        return Task.FromResult(series);
    }

    /// <summary><c>name</c>, <c>name{a="1",b="2"}</c>, or <c>rate(name{a="1"})</c> for <c>rate(name)</c>.</summary>
    public static string Selector(string metricName, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(metricName);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0)
        {
            return metricName;
        }

        var selector = "{" + string.Join(',', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
        return metricName.StartsWith("rate(", StringComparison.Ordinal) && metricName.EndsWith(')')
            ? metricName[..^1] + selector + ")"
            : metricName + selector;
    }
}

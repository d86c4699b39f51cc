using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Canary.Configs;

namespace Mizzen.Canary.Sources.Prometheus;

/// <summary>The <c>prometheus</c> metric source: Kayenta's query building over Prometheus's HTTP API (<c>/api/v1/query_range</c>).</summary>
public sealed partial class PrometheusMetricsSource(HttpClient httpClient, IOptions<PrometheusSourceOptions> options, TimeProvider timeProvider, ILogger<PrometheusMetricsSource> logger)
    : IMetricsSource
{
    public string Type => "prometheus";

    public string BuildQuery(CanaryConfig config, CanaryMetricConfig metric, MetricScope scope)
        => PrometheusQueryBuilder.Build(config, metric, scope);

    public async Task<IReadOnlyList<MetricSet>> QueryAsync(CanaryConfig config, CanaryMetricConfig metric, MetricScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(scope);
        var query = BuildQuery(config, metric, scope);
        var uri = RangeQueryUri(options.Value.BaseAddress, query, scope);
        LogQuery(logger, metric.Name, scope.Scope, query);
        var fetcher = new RetryingHttpFetcher(httpClient, options.Value.Retry, timeProvider, logger);
        var body = await fetcher.GetStringAsync(uri, "Prometheus", cancellationToken);
        return PrometheusResponseParser.Parse(body, metric.Name ?? query, query, scope);
    }

    public static Uri RangeQueryUri(Uri baseAddress, string query, MetricScope scope)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(scope);
        var text = $"api/v1/query_range?query={Uri.EscapeDataString(query)}"
            + $"&start={Uri.EscapeDataString(scope.Start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))}"
            + $"&end={Uri.EscapeDataString(scope.End.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))}"
            + $"&step={scope.StepSeconds.ToString(CultureInfo.InvariantCulture)}";
        var root = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        return new Uri(root, text);
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug, Message = "Querying Prometheus for metric {metricName}, scope {scope}: {query}")]
    private static partial void LogQuery(ILogger logger, string? metricName, string scope, string query);
}

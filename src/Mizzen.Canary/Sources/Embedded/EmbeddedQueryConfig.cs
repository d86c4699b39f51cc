using Mizzen.Canary.Configs;

namespace Mizzen.Canary.Sources.Embedded;

/// <summary>
/// The query of a metric with <c>"type": "embedded"</c>:
/// <c>{"type":"embedded","metricName":"http_requests_error_rate","labels":{"route":"/checkout"},"account":"local"}</c>.
/// Label values may use <c>${scope}</c>, <c>${location}</c> and the scope's extended parameters. The account
/// defaults to the scope's <c>account</c> parameter, then to the scope's location (Kayenta: location = account), then to <see cref="DefaultAccount"/>.
/// </summary>
public sealed record EmbeddedQueryConfig(string MetricName, IReadOnlyDictionary<string, string> Labels, string? Account)
{
    public const string DefaultAccount = "local";

    public static EmbeddedQueryConfig From(CanaryMetricConfig metric, string location)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var query = metric.Query;
        var metricName = query?.GetString("metricName");
        if (string.IsNullOrEmpty(metricName))
        {
            var message = $"metric '{metric.Name}' of type embedded needs query.metricName";
            throw new CanaryConfigException(message, [new CanaryConfigIssue(CanaryConfigIssueSeverity.Error, $"{location}.metricName", message)]);
        }

        return new EmbeddedQueryConfig(metricName, query!.GetStringMap("labels"), query.GetString("account"));
    }
}

using System.Globalization;
using Mizzen.Canary.Configs;

namespace Mizzen.Canary.Sources.Embedded;

/// <summary>The <c>embedded</c> metric source: reads Mizzen's own time-series store through <see cref="IEmbeddedMetricsReader"/>.</summary>
public sealed class EmbeddedMetricsSource(IEmbeddedMetricsReader reader) : IMetricsSource
{
    public string Type => "embedded";

    public string BuildQuery(CanaryConfig config, CanaryMetricConfig metric, MetricScope scope)
    {
        var (q, account, labels) = Resolve(config, metric, scope);
        var labelText = string.Join(',', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\""));
        return string.Create(CultureInfo.InvariantCulture, $"embedded:{account}/{scope.Scope}/{q.MetricName}{{{labelText}}}[step={scope.StepSeconds}s]");
    }

    public async Task<IReadOnlyList<MetricSet>> QueryAsync(CanaryConfig config, CanaryMetricConfig metric, MetricScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var (q, account, labels) = Resolve(config, metric, scope);
        var text = BuildQuery(config, metric, scope);
        var series = await reader.QueryRangeAsync(account, scope.Scope, q.MetricName, labels, scope.Start, scope.End, TimeSpan.FromSeconds(scope.StepSeconds), cancellationToken);
        return series.Select(s => new MetricSet(metric.Name ?? q.MetricName, s.Labels, s.Start, (int)s.Step.TotalSeconds, s.Values, text)).ToList();
    }

    private static (EmbeddedQueryConfig Query, string Account, Dictionary<string, string> Labels) Resolve(CanaryConfig config, CanaryMetricConfig metric, MetricScope scope)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(scope);
        var location = $"metrics[{config.Metrics.IndexOf(metric)}].query";
        var query = EmbeddedQueryConfig.From(metric, location);
        var variables = new Dictionary<string, string>(scope.Parameters, StringComparer.Ordinal) { ["scope"] = scope.Scope };
        if (scope.Location is not null)
        {
            variables["location"] = scope.Location;
        }

        var labels = query.Labels.ToDictionary(l => l.Key, l => QueryTemplate.Expand(l.Value, variables, $"{location}.labels.{l.Key}"), StringComparer.Ordinal);
        var account = query.Account ?? (scope.Parameters.TryGetValue("account", out var a) ? a : EmbeddedQueryConfig.DefaultAccount);
        return (query, account, labels);
    }
}

using System.Globalization;
using Mizzen.Canary.Configs;

namespace Mizzen.Canary.Sources.Embedded;

/// <summary>
/// The <c>embedded</c> metric source: reads Mizzen's own time-series store through <see cref="IEmbeddedMetricsReader"/>.
/// A point summarises the step that ends at its timestamp (Prometheus' <c>rate(x[step])</c>), so the first point is taken one step
/// after the window's start: every point then describes time inside the window, and nothing from before the canary received its
/// traffic (a step with a handful of requests, which would tie with the baseline) is judged.
/// </summary>
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
        var step = TimeSpan.FromSeconds(scope.StepSeconds);
        var first = scope.Start + step <= scope.End ? scope.Start + step : scope.End;
        var series = await reader.QueryRangeAsync(account, scope.Scope, q.MetricName, labels, first, scope.End, step, cancellationToken);
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
        // Kayenta's contract: the scope is the server group and the location is its account.
        var account = query.Account
            ?? (scope.Parameters.TryGetValue("account", out var a) ? a : null)
            ?? (string.IsNullOrEmpty(scope.Location) ? null : scope.Location)
            ?? EmbeddedQueryConfig.DefaultAccount;
        return (query, account, labels);
    }
}

using Mizzen.Canary.Configs;

namespace Mizzen.Canary.Sources;

/// <summary>
/// A metric store the canary can query, selected by a metric's <c>query.type</c>. Implementations turn Kayenta's
/// query config into the store's query (<see cref="BuildQuery"/>, also used by the dry run) and fetch it.
/// </summary>
public interface IMetricsSource
{
    /// <summary>The <c>query.type</c> this source answers, for example <c>prometheus</c>.</summary>
    string Type { get; }

    /// <summary>The exact query text sent for this metric and scope. Throws <see cref="CanaryConfigException"/> when the config cannot make one.</summary>
    string BuildQuery(CanaryConfig config, CanaryMetricConfig metric, MetricScope scope);

    /// <summary>Fetches the metric for one scope: one <see cref="MetricSet"/> per tag set (possibly none).</summary>
    Task<IReadOnlyList<MetricSet>> QueryAsync(CanaryConfig config, CanaryMetricConfig metric, MetricScope scope, CancellationToken cancellationToken);
}

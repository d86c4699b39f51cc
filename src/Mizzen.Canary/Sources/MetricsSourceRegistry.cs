using Mizzen.Canary.Configs;

namespace Mizzen.Canary.Sources;

/// <summary>Finds the <see cref="IMetricsSource"/> for a metric's <c>query.type</c>.</summary>
public sealed class MetricsSourceRegistry(IEnumerable<IMetricsSource> sources)
{
    private readonly Dictionary<string, IMetricsSource> byType = sources.GroupBy(s => s.Type, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Types => byType.Keys;

    public IMetricsSource For(CanaryMetricConfig metric, int index)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var type = metric.Query?.Type;
        if (type is not null && byType.TryGetValue(type, out var source))
        {
            return source;
        }

        var path = $"metrics[{index}].query.type";
        var message = type is null
            ? $"metric '{metric.Name}' has no query type"
            : $"metric '{metric.Name}' uses query type '{type}', which this server cannot query (available: {string.Join(", ", byType.Keys.Order(StringComparer.Ordinal))})";
        throw new CanaryConfigException(message, [new CanaryConfigIssue(CanaryConfigIssueSeverity.Error, path, message)]);
    }
}

using Microsoft.Extensions.Logging;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Judge;
using Mizzen.Canary.Reports;
using Mizzen.Canary.Sources;

namespace Mizzen.Canary.Runs;

/// <summary>
/// Runs one canary interval: fetches every metric for both scopes through the metric sources, pairs the series,
/// judges them and says whether the run may continue. The <c>kayentaCanary</c> stage calls this once per
/// <see cref="CanaryInterval"/> from <see cref="CanaryIntervalPlanner"/>.
/// </summary>
public sealed partial class CanaryRunner(MetricsSourceRegistry sources, NetflixAcaJudge judge, ILogger<CanaryRunner> logger)
{
    /// <summary>Fetches and judges one interval. <paramref name="scopes"/> is keyed by <c>scopeName</c>.</summary>
    public async Task<CanaryIntervalResult> RunIntervalAsync(
        CanaryConfig config, IReadOnlyDictionary<string, MetricScopePair> scopes, CanaryScoreThresholds thresholds, CanaryInterval? interval, CancellationToken cancellationToken)
    {
        var pairs = await FetchAsync(config, scopes, cancellationToken);
        return Judge(config, pairs, thresholds, interval);
    }

    /// <summary>Fetches every metric of <paramref name="config"/> for both sides, in parallel, as mixed pairs.</summary>
    public async Task<IReadOnlyList<MetricSetPair>> FetchAsync(CanaryConfig config, IReadOnlyDictionary<string, MetricScopePair> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(scopes);
        CanaryConfigValidator.ThrowIfInvalid(config);
        var fetches = config.Metrics.Select(async (metric, index) =>
        {
            var source = sources.For(metric, index);
            var pair = ScopesFor(metric, index, scopes);
            var control = source.QueryAsync(config, metric, pair.Control, cancellationToken);
            var experiment = source.QueryAsync(config, metric, pair.Experiment, cancellationToken);
            return MetricSetMixer.Mix(metric.Name!, await control, await experiment, pair);
        });
        var mixed = await Task.WhenAll(fetches);
        return mixed.SelectMany(p => p).ToList();
    }

    /// <summary>Judges already-fetched pairs for one interval.</summary>
    public CanaryIntervalResult Judge(CanaryConfig config, IReadOnlyList<MetricSetPair> pairs, CanaryScoreThresholds thresholds, CanaryInterval? interval)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var result = judge.Judge(config, pairs, thresholds);
        LogJudged(logger, config.Name, interval?.Number ?? 0, result.Score, result.Classification);
        return new CanaryIntervalResult(interval, result, CanaryReportBuilder.Build(result), CanaryRunVerdict.AfterInterval(result.Score, thresholds.Marginal));
    }

    internal static MetricScopePair ScopesFor(CanaryMetricConfig metric, int index, IReadOnlyDictionary<string, MetricScopePair> scopes)
    {
        if (scopes.TryGetValue(metric.EffectiveScopeName, out var pair))
        {
            return pair;
        }

        var message = $"metric '{metric.Name}' uses scope '{metric.EffectiveScopeName}', but the request has scopes: {string.Join(", ", scopes.Keys)}";
        throw new CanaryConfigException(message, [new CanaryConfigIssue(CanaryConfigIssueSeverity.Error, $"metrics[{index}].scopeName", message)]);
    }

    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Canary {configName} interval {interval} scored {score} ({classification})")]
    private static partial void LogJudged(ILogger logger, string? configName, int interval, double score, CanaryScoreClassification classification);
}

using Mizzen.Canary.Configs;

namespace Mizzen.Canary.Judge;

/// <summary>
/// <c>NetflixACAJudge-v1.0</c>: pre-processes each pair, classifies it with <see cref="MannWhitneyClassifier"/>,
/// scores the groups with <see cref="WeightedSumScorer"/> and labels the score with <see cref="CanaryVerdict"/>.
/// Pure and deterministic: the same config, pairs and thresholds always give the same result.
/// </summary>
public sealed class NetflixAcaJudge
{
    public const string JudgeName = "NetflixACAJudge-v1.0";

    /// <summary>Below this many control points the result carries a warning (Orca's rule).</summary>
    public const int MinimumRecommendedPoints = 50;

    public CanaryJudgeResult Judge(CanaryConfig config, IReadOnlyList<MetricSetPair> pairs, CanaryScoreThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(thresholds);
        var metricsByName = new Dictionary<string, CanaryMetricConfig>(StringComparer.Ordinal);
        foreach (var metric in config.Metrics.Where(m => m.Name is not null))
        {
            metricsByName.TryAdd(metric.Name!, metric);
        }

        var results = new List<CanaryAnalysisResult>(pairs.Count);
        foreach (var pair in pairs)
        {
            if (!metricsByName.TryGetValue(pair.Name, out var metric))
            {
                throw new CanaryConfigException(
                    $"Metric '{pair.Name}' has data but is not in canary config '{config.Name}'.",
                    [new CanaryConfigIssue(CanaryConfigIssueSeverity.Error, "metrics", $"no metric named '{pair.Name}'")]);
            }

            results.Add(JudgeMetric(metric, pair));
        }

        var scored = results.Select(r => new ScoredMetric(r.Name, r.Label, r.Groups, r.Critical, r.Muted, r.Classification.Reason)).ToList();
        var summary = WeightedSumScorer.Score(scored, config.Classifier?.GroupWeights ?? []);
        var warnings = results.Any(r => r.Control.Statistics.Count < MinimumRecommendedPoints)
            ? new[] { "One of the metrics returned fewer than 50 data points, which can reduce confidence in the final canary score." }
            : [];
        return new CanaryJudgeResult(
            JudgeName,
            summary.Score,
            CanaryVerdict.Classify(summary.Score, thresholds),
            summary.Reason,
            thresholds,
            summary.Groups,
            results,
            warnings);
    }

    /// <summary>Pre-processes and classifies one pair against its metric's settings.</summary>
    public static CanaryAnalysisResult JudgeMetric(CanaryMetricConfig metric, MetricSetPair pair)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(pair);
        var settings = CanaryAnalysisSettingsResolver.Resolve(metric);
        var control = PreparedSide.Prepare(pair.Control.Values, settings);
        var experiment = PreparedSide.Prepare(pair.Experiment.Values, settings);
        var classification = MannWhitneyClassifier.ForJudge(settings).Classify(
            pair.Name, control.Values, experiment.Values, settings.Direction, settings.NanStrategy, settings.Critical, settings.MustHaveData);
        return new CanaryAnalysisResult(pair.Name, pair.Tags, metric.Groups ?? [], settings, classification, control, experiment, pair);
    }
}

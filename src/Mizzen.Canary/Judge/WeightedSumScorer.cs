using Mizzen.Canary.Statistics;

namespace Mizzen.Canary.Judge;

/// <summary>
/// Kayenta's weighted-sum scorer. Muted metrics are dropped; a failing critical metric or 50 % or more Nodata
/// results force the score to 0; otherwise each group's score is weighted by its configured weight (groups
/// without one share what is left of 100 equally; weights are not renormalised) and a group with nothing to
/// score counts as 100.
/// </summary>
public static class WeightedSumScorer
{
    public const double NodataThresholdPercent = 50;

    public static SummaryScore Score(IReadOnlyList<ScoredMetric> metrics, IReadOnlyDictionary<string, double> groupWeights)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(groupWeights);
        var scored = metrics.Where(m => !m.Muted).ToList();
        var groupNames = scored.SelectMany(m => m.Groups).Distinct(StringComparer.Ordinal).ToList();
        var unweighted = groupNames.Count(g => !groupWeights.ContainsKey(g));
        var sharedWeight = unweighted > 0 ? (100 - groupWeights.Values.Sum()) / unweighted : 0.0;
        var groups = groupNames.Select(g => ScoreGroup(g, scored, groupWeights.TryGetValue(g, out var w) ? w : sharedWeight)).ToList();

        var criticalFailure = scored.FirstOrDefault(m => m.Critical && m.Label != MetricClassificationLabel.Pass);
        if (criticalFailure is not null)
        {
            return new SummaryScore(0.0, groups, $"Canary Failed: {criticalFailure.Reason}", true, false);
        }

        var nodata = scored.Count(m => m.Label == MetricClassificationLabel.Nodata);
        if (scored.Count > 0 && nodata * 100.0 / scored.Count >= NodataThresholdPercent)
        {
            return new SummaryScore(0.0, groups, "Canary Failed: 50% or more metrics returned NODATA", false, true);
        }

        var sum = groups.Sum(g => (g.NoData ? 100.0 : g.Score) * (g.Weight / 100));
        return new SummaryScore(Rounding.HalfUp(sum, 2), groups, string.Empty, false, false);
    }

    private static GroupScore ScoreGroup(string name, List<ScoredMetric> metrics, double weight)
    {
        var inGroup = metrics.Where(m => m.Groups.Contains(name, StringComparer.Ordinal)).ToList();
        int Count(MetricClassificationLabel label) => inGroup.Count(m => m.Label == label);
        var pass = Count(MetricClassificationLabel.Pass);
        var high = Count(MetricClassificationLabel.High);
        var low = Count(MetricClassificationLabel.Low);
        var nodataFail = Count(MetricClassificationLabel.NodataFailMetric);
        var total = pass + high + low + nodataFail;
        var score = total == 0 ? 0.0 : pass * 100.0 / total;
        return new GroupScore(name, score, total == 0, weight, pass, high, low, nodataFail, Count(MetricClassificationLabel.Nodata), Count(MetricClassificationLabel.Error));
    }
}

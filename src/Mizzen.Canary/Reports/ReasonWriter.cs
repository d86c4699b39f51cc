using System.Globalization;
using Mizzen.Canary.Judge;

namespace Mizzen.Canary.Reports;

/// <summary>Explains a metric's classification in one sentence, with the numbers that decided it.</summary>
public static class ReasonWriter
{
    public static string Explain(CanaryAnalysisResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var c = result.Classification;
        var text = c.Path switch
        {
            ClassificationPath.MissingData => MissingData(result),
            ClassificationPath.Identical => "control and experiment hold identical values",
            ClassificationPath.SingleValue => $"every value on both sides is {F(result.Control.Values[0])}",
            ClassificationPath.Failed => $"the statistics could not be computed ({c.Reason})",
            _ => RankSum(result),
        };
        if (c.Critical)
        {
            text += "; critical metric: this fails the whole canary";
        }

        if (result.Muted)
        {
            text += "; muted: reported but not scored";
        }

        return text;
    }

    private static string MissingData(CanaryAnalysisResult result)
    {
        var sides = new List<string>();
        if (result.Control.Values.Length == 0)
        {
            sides.Add(Side("control", result.Control));
        }

        if (result.Experiment.Values.Length == 0)
        {
            sides.Add(Side("experiment", result.Experiment));
        }

        var consequence = result.Label switch
        {
            MetricClassificationLabel.NodataFailMetric => "mustHaveData is set, so this counts as a failure in its groups",
            MetricClassificationLabel.Pass => "nanStrategy is replace, so missing data passes",
            _ when result.Critical => "the metric is critical, so missing data fails the canary",
            _ => "the metric is not scored (Nodata); if half the metrics have no data the canary fails",
        };
        return $"no data for {string.Join(" and ", sides)}; {consequence}";
    }

    private static string Side(string name, PreparedSide side)
        => side.RawCount == 0 ? $"the {name} (the query returned no points)"
            : $"the {name} ({side.NanCount} of {side.RawCount} points were NaN{(side.OutliersRemoved > 0 ? $", {side.OutliersRemoved} outliers removed" : string.Empty)})";

    private static string RankSum(CanaryAnalysisResult result)
    {
        var c = result.Classification;
        var test = c.Test!.Value;
        var change = Change(result);
        var ci = $"CI [{F(test.LowerConfidence)}, {F(test.UpperConfidence)}]";
        var band = $"the tolerance band [{F(-c.Bound)}, {F(c.Bound)}]";
        var effect = result.Settings.Measure == EffectSizeMeasure.Cles ? $"CLES {F(c.EffectSize)}" : $"mean ratio {F(c.EffectSize)}";
        var s = result.Settings;
        var above = test.LowerConfidence > c.Bound;
        var below = test.UpperConfidence < -c.Bound;
        return c.Label switch
        {
            MetricClassificationLabel.High or MetricClassificationLabel.Low when double.IsNaN(c.EffectSize) =>
                $"{change}; {ci} excludes {band}, and with a mean of 0 on one side there is no mean ratio, so no effect-size allowance applies",
            MetricClassificationLabel.High => $"{change}; {ci} excludes {band} and {effect} is at least allowedIncrease {F(s.AllowedIncrease)}",
            MetricClassificationLabel.Low => $"{change}; {ci} excludes {band} and {effect} is at most allowedDecrease {F(s.AllowedDecrease)}",
            _ when above && s.Direction == MetricDirection.Decrease => $"{change}, but only a decrease fails this metric (direction decrease); {ci}",
            _ when below && s.Direction == MetricDirection.Increase => $"{change}, but only an increase fails this metric (direction increase); {ci}",
            _ when above => $"{change}; {ci} excludes {band}, but {effect} is below allowedIncrease {F(s.AllowedIncrease)}, so the change is tolerated",
            _ when below => $"{change}; {ci} excludes {band}, but {effect} is above allowedDecrease {F(s.AllowedDecrease)}, so the change is tolerated",
            _ => $"{change}; {ci} overlaps {band}: no significant difference",
        };
    }

    private static string Change(CanaryAnalysisResult result)
    {
        var ratio = result.Classification.Deviation;
        if (double.IsNaN(ratio))
        {
            return $"canary mean {F(result.Experiment.Statistics.Mean)} vs baseline mean {F(result.Control.Statistics.Mean)}";
        }

        var percent = (ratio - 1) * 100;
        return Math.Abs(percent) < 0.5 ? "canary about equal to baseline"
            : $"canary {Math.Abs(percent).ToString("0", CultureInfo.InvariantCulture)}% {(percent > 0 ? "higher" : "lower")} than baseline";
    }

    /// <summary>Formats a number compactly for sentences and tables.</summary>
    public static string F(double value) => double.IsNaN(value) ? "NaN"
        : value == 0 || (Math.Abs(value) >= 1e-3 && Math.Abs(value) < 1e6) ? value.ToString("0.###", CultureInfo.InvariantCulture)
        : value.ToString("0.##E+0", CultureInfo.InvariantCulture);
}

using Mizzen.Canary.Statistics;

namespace Mizzen.Canary.Judge;

/// <summary>
/// Classifies one metric as Pass / High / Low (or Nodata / NodataFailMetric / Error) from its pre-processed
/// control and experiment values, the way NetflixACAJudge-v1.0 does: a rank-sum confidence interval for the
/// shift, a tolerance band of ± <see cref="Tolerance"/> × |estimate|, an effect-size gate, the direction, and
/// the critical thresholds.
/// </summary>
public sealed class MannWhitneyClassifier(
    double tolerance = 0.25,
    double confidenceLevel = 0.98,
    double allowedDecrease = 1.0,
    double allowedIncrease = 1.0,
    double criticalDecrease = 1.0,
    double criticalIncrease = 1.0,
    EffectSizeMeasure measure = EffectSizeMeasure.MeanRatio)
{
    /// <summary>The judge's hard-coded band (Kayenta ignores its configuration property).</summary>
    public const double JudgeTolerance = 0.25;

    /// <summary>The judge's hard-coded confidence level.</summary>
    public const double JudgeConfidenceLevel = 0.98;

    public double Tolerance => tolerance;

    public double ConfidenceLevel => confidenceLevel;

    /// <summary>The classifier the judge uses for a metric's settings.</summary>
    public static MannWhitneyClassifier ForJudge(MetricAnalysisSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new MannWhitneyClassifier(
            JudgeTolerance,
            JudgeConfidenceLevel,
            settings.AllowedDecrease,
            settings.AllowedIncrease,
            settings.CriticalDecrease,
            settings.CriticalIncrease,
            settings.Measure);
    }

    public MetricClassification Classify(
        string metricName,
        IReadOnlyList<double> control,
        IReadOnlyList<double> experiment,
        MetricDirection direction = MetricDirection.Either,
        NanStrategy nanStrategy = NanStrategy.Remove,
        bool isCritical = false,
        bool mustHaveData = false)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(experiment);
        try
        {
            return ClassifyOrThrow(metricName, control.ToArray(), experiment.ToArray(), direction, nanStrategy, isCritical, mustHaveData);
        }
        catch (Exception ex) when (ex is ArithmeticException or ArgumentException or InvalidOperationException)
        {
            return new MetricClassification(MetricClassificationLabel.Error, "Metric Classification Failed", false, ClassificationPath.Failed, double.NaN);
        }
    }

    private MetricClassification ClassifyOrThrow(
        string metricName, double[] control, double[] experiment, MetricDirection direction, NanStrategy nanStrategy, bool isCritical, bool mustHaveData)
    {
        if (control.Length == 0 || experiment.Length == 0)
        {
            var reason = $"Missing data for {metricName}";
            if (nanStrategy == NanStrategy.Replace)
            {
                return new MetricClassification(MetricClassificationLabel.Pass, reason, false, ClassificationPath.MissingData, 1.0);
            }

            return mustHaveData && !isCritical
                ? new MetricClassification(MetricClassificationLabel.NodataFailMetric, reason, false, ClassificationPath.MissingData, 1.0)
                : new MetricClassification(MetricClassificationLabel.Nodata, reason, isCritical, ClassificationPath.MissingData, 1.0);
        }

        if (SameValues(control, experiment))
        {
            return new MetricClassification(MetricClassificationLabel.Pass, "The experiment and control data are identical", false, ClassificationPath.Identical, 1.0);
        }

        var controlDistinct = DistinctCount(control);
        var experimentDistinct = DistinctCount(experiment);
        if (controlDistinct == 1 && experimentDistinct == 1 && control[0] == experiment[0])
        {
            return new MetricClassification(MetricClassificationLabel.Pass, "All values are the same", false, ClassificationPath.SingleValue, 1.0);
        }

        var noise = controlDistinct == 1 && experimentDistinct == 1;
        if (noise)
        {
            // Both sides constant: the rank-sum interval would have zero width. Kayenta adds tiny Gaussian noise
            // (sd = 1e-5 × value) from an unseeded generator; we use a fixed seed so the verdict is reproducible.
            var generator = new DeterministicNoise(DeterministicNoise.JudgeSeed);
            AddNoise(experiment, generator);
            AddNoise(control, generator);
        }

        var test = MannWhitney.Test(experiment, control, confidenceLevel);
        var deviation = EffectSize.MeanRatio(control, experiment);
        var effect = measure == EffectSizeMeasure.Cles ? EffectSize.Cles(control, experiment) : deviation;
        var bound = tolerance * Math.Abs(test.Estimate);

        var isHigh = direction is MetricDirection.Increase or MetricDirection.Either
            && test.LowerConfidence > bound
            && (double.IsNaN(effect) || effect >= allowedIncrease);
        var isLow = direction is MetricDirection.Decrease or MetricDirection.Either
            && test.UpperConfidence < -bound
            && (double.IsNaN(effect) || effect <= allowedDecrease);
        var label = isHigh ? MetricClassificationLabel.High : isLow ? MetricClassificationLabel.Low : MetricClassificationLabel.Pass;

        var critical = isCritical && ((label == MetricClassificationLabel.High && (double.IsNaN(effect) || effect >= criticalIncrease))
            || (label == MetricClassificationLabel.Low && (double.IsNaN(effect) || effect <= criticalDecrease)));
        var reasonText = critical
            ? $"The metric {metricName} was classified as {label} (Critical)"
            : label == MetricClassificationLabel.Pass ? string.Empty : $"{metricName} was classified as {label}";
        return new MetricClassification(label, reasonText, critical, ClassificationPath.RankSumTest, deviation, effect, bound, test, noise);
    }

    private static bool SameValues(double[] control, double[] experiment)
    {
        if (control.Length != experiment.Length)
        {
            return false;
        }

        var a = (double[])control.Clone();
        var b = (double[])experiment.Clone();
        Array.Sort(a);
        Array.Sort(b);
        return a.AsSpan().SequenceEqual(b);
    }

    private static int DistinctCount(double[] values)
    {
        var first = values[0];
        foreach (var v in values)
        {
            if (v != first)
            {
                return 2;
            }
        }

        return 1;
    }

    private static void AddNoise(double[] values, DeterministicNoise generator)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] += generator.NextGaussian() * values[i] * 1e-5;
        }
    }
}

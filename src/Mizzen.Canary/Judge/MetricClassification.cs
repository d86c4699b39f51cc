using Mizzen.Canary.Statistics;

namespace Mizzen.Canary.Judge;

/// <summary>How the classifier reached its label; the report turns this into words.</summary>
public enum ClassificationPath
{
    /// <summary>A side had no data after pre-processing.</summary>
    MissingData,

    /// <summary>Both sides hold the same values.</summary>
    Identical,

    /// <summary>Every value on both sides is the same number.</summary>
    SingleValue,

    /// <summary>The rank-sum test ran.</summary>
    RankSumTest,

    /// <summary>The classifier threw; Kayenta's "Error".</summary>
    Failed,
}

/// <summary>
/// One metric's classification. <see cref="Deviation"/> is Kayenta's <c>resultMetadata.ratio</c> (mean ratio);
/// <see cref="EffectSize"/> is the configured measure; <see cref="Bound"/> is the tolerance band half-width
/// (tolerance × |estimate|) the interval was compared with.
/// </summary>
public sealed record MetricClassification(
    MetricClassificationLabel Label,
    string Reason,
    bool Critical,
    ClassificationPath Path,
    double Deviation,
    double EffectSize = double.NaN,
    double Bound = double.NaN,
    MannWhitneyResult? Test = null,
    bool NoiseAdded = false);

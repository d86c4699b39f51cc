namespace Mizzen.Canary.Judge;

/// <summary>
/// One judged metric (Kayenta's <c>CanaryAnalysisResult</c>) with everything needed to explain it: the settings
/// used, both prepared sides and the raw pair.
/// </summary>
public sealed record CanaryAnalysisResult(
    string Name,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Groups,
    MetricAnalysisSettings Settings,
    MetricClassification Classification,
    PreparedSide Control,
    PreparedSide Experiment,
    MetricSetPair Pair)
{
    public MetricClassificationLabel Label => Classification.Label;

    public bool Critical => Classification.Critical;

    public bool Muted => Settings.Muted;
}

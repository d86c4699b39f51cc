using Mizzen.Canary.Judge;

namespace Mizzen.Canary.Configs;

/// <summary>Turns a metric's <c>analysisConfigurations.canary</c> into <see cref="MetricAnalysisSettings"/> with Kayenta's defaults.</summary>
public static class CanaryAnalysisSettingsResolver
{
    public static MetricAnalysisSettings Resolve(CanaryMetricConfig metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var canary = metric.AnalysisConfigurations?.Canary;
        var measure = ParseMeasure(canary?.EffectSize?.Measure) ?? EffectSizeMeasure.MeanRatio;
        var defaultGate = measure == EffectSizeMeasure.Cles ? 0.5 : 1.0;
        return new MetricAnalysisSettings
        {
            Direction = ParseDirection(canary?.Direction) ?? MetricDirection.Either,
            NanStrategy = ParseNanStrategy(canary?.NanStrategy) ?? NanStrategy.Remove,
            OutlierStrategy = ParseOutlierStrategy(canary?.Outliers?.Strategy) ?? OutlierStrategy.Keep,
            OutlierFactor = canary?.Outliers?.OutlierFactor ?? 3.0,
            Critical = canary?.Critical ?? false,
            MustHaveData = canary?.MustHaveData ?? false,
            Muted = canary?.Muted ?? false,
            Measure = measure,
            AllowedIncrease = canary?.EffectSize?.AllowedIncrease ?? defaultGate,
            AllowedDecrease = canary?.EffectSize?.AllowedDecrease ?? defaultGate,
            CriticalIncrease = canary?.EffectSize?.CriticalIncrease ?? defaultGate,
            CriticalDecrease = canary?.EffectSize?.CriticalDecrease ?? defaultGate,
        };
    }

    public static MetricDirection? ParseDirection(string? value) => value switch
    {
        null or "" or "either" => MetricDirection.Either,
        "increase" => MetricDirection.Increase,
        "decrease" => MetricDirection.Decrease,
        _ => null,
    };

    public static NanStrategy? ParseNanStrategy(string? value) => value switch
    {
        null or "" or "none" or "remove" => NanStrategy.Remove,
        "replace" => NanStrategy.Replace,
        _ => null,
    };

    public static OutlierStrategy? ParseOutlierStrategy(string? value) => value switch
    {
        null or "" or "none" or "keep" => OutlierStrategy.Keep,
        "remove" => OutlierStrategy.Remove,
        _ => null,
    };

    public static EffectSizeMeasure? ParseMeasure(string? value) => value switch
    {
        null or "" or "meanRatio" => EffectSizeMeasure.MeanRatio,
        "cles" => EffectSizeMeasure.Cles,
        _ => null,
    };
}

namespace Mizzen.Canary.Judge;

public enum MetricDirection
{
    Either,
    Increase,
    Decrease,
}

public enum NanStrategy
{
    Remove,
    Replace,
}

public enum OutlierStrategy
{
    Keep,
    Remove,
}

public enum EffectSizeMeasure
{
    MeanRatio,
    Cles,
}

/// <summary>
/// The resolved <c>analysisConfigurations.canary</c> of one metric, with Kayenta's defaults applied
/// (see <see cref="Configs.CanaryAnalysisSettingsResolver"/>).
/// </summary>
public sealed record MetricAnalysisSettings
{
    public MetricDirection Direction { get; init; } = MetricDirection.Either;

    public NanStrategy NanStrategy { get; init; } = NanStrategy.Remove;

    public OutlierStrategy OutlierStrategy { get; init; } = OutlierStrategy.Keep;

    public double OutlierFactor { get; init; } = 3.0;

    public bool Critical { get; init; }

    public bool MustHaveData { get; init; }

    public bool Muted { get; init; }

    public EffectSizeMeasure Measure { get; init; } = EffectSizeMeasure.MeanRatio;

    public double AllowedIncrease { get; init; } = 1.0;

    public double AllowedDecrease { get; init; } = 1.0;

    public double CriticalIncrease { get; init; } = 1.0;

    public double CriticalDecrease { get; init; } = 1.0;
}

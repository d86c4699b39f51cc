using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mizzen.Canary.Configs;

/// <summary>One entry of <c>metrics[]</c>. <see cref="Name"/> is the metric's identity in results.</summary>
public sealed class CanaryMetricConfig
{
    public string? Name { get; set; }

    public CanaryMetricQuery? Query { get; set; }

    public List<string>? Groups { get; set; }

    /// <summary>Selects the scope pair of the execution request; <c>"default"</c> when absent.</summary>
    public string? ScopeName { get; set; }

    public CanaryAnalysisConfigurations? AnalysisConfigurations { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    [JsonIgnore]
    public string EffectiveScopeName => string.IsNullOrEmpty(ScopeName) ? "default" : ScopeName;
}

/// <summary><c>analysisConfigurations</c>; the judge reads <c>canary</c>.</summary>
public sealed class CanaryAnalysisConfigurations
{
    public CanaryAnalysisConfig? Canary { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary><c>analysisConfigurations.canary</c> as written; <see cref="CanaryAnalysisSettingsResolver"/> applies the defaults.</summary>
public sealed class CanaryAnalysisConfig
{
    public string? Direction { get; set; }

    public string? NanStrategy { get; set; }

    public bool? Critical { get; set; }

    public bool? MustHaveData { get; set; }

    public bool? Muted { get; set; }

    public CanaryEffectSizeConfig? EffectSize { get; set; }

    public CanaryOutlierConfig? Outliers { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary><c>effectSize</c>.</summary>
public sealed class CanaryEffectSizeConfig
{
    public string? Measure { get; set; }

    public double? AllowedIncrease { get; set; }

    public double? AllowedDecrease { get; set; }

    public double? CriticalIncrease { get; set; }

    public double? CriticalDecrease { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary><c>outliers</c>.</summary>
public sealed class CanaryOutlierConfig
{
    public string? Strategy { get; set; }

    public double? OutlierFactor { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Mizzen.Canary.Configs;

/// <summary>
/// A canary config in Kayenta's JSON format (<c>CanaryConfig</c>). Fields Mizzen does not know are kept in
/// <see cref="Extra"/> and written back unchanged, so a config survives a round trip through Mizzen.
/// </summary>
public sealed class CanaryConfig
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>A string or a number in the wild (<c>"1.0"</c>, <c>1.0</c>); kept as written.</summary>
    public JsonNode? ConfigVersion { get; set; }

    public List<string>? Applications { get; set; }

    public CanaryJudgeConfig? Judge { get; set; }

    public List<CanaryMetricConfig> Metrics { get; set; } = [];

    public Dictionary<string, string>? Templates { get; set; }

    public CanaryClassifierConfig? Classifier { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary><c>judge</c>: the judge's name and its (ignored) configuration.</summary>
public sealed class CanaryJudgeConfig
{
    public string? Name { get; set; }

    public JsonObject? JudgeConfigurations { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary><c>classifier</c>: group weights, and legacy score thresholds (a run takes its thresholds from the request).</summary>
public sealed class CanaryClassifierConfig
{
    public Dictionary<string, double>? GroupWeights { get; set; }

    public CanaryConfigScoreThresholds? ScoreThresholds { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary><c>classifier.scoreThresholds</c>.</summary>
public sealed class CanaryConfigScoreThresholds
{
    public double? Pass { get; set; }

    public double? Marginal { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

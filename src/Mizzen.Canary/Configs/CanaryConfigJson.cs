using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Canary.Configs;

/// <summary>Reads and writes canary configs in Kayenta's JSON format.</summary>
public static class CanaryConfigJson
{
    /// <summary>camelCase, nulls omitted, unknown fields preserved (through each model's extension data).</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.Strict,
        WriteIndented = true,
    };

    /// <summary>
    /// Parses a config. Also accepts Kayenta's ad-hoc request (<c>{"canaryConfig": {...}, "executionRequest": {...}}</c>)
    /// and takes its config. Does not validate: see <see cref="CanaryConfigValidator"/> or <see cref="Load"/>.
    /// </summary>
    public static CanaryConfig Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            // Read as Kayenta's Jackson does: a repeated key takes its last value; broken JSON names its line and column.
            var node = ReadJson(json) as JsonObject
                ?? throw new CanaryConfigException("A canary config must be a JSON object.", [new(CanaryConfigIssueSeverity.Error, "$", "expected a JSON object")]);
            if (node["canaryConfig"] is JsonObject wrapped && node["metrics"] is null)
            {
                node = wrapped;
            }

            return node.Deserialize<CanaryConfig>(Options) ?? throw new JsonException("empty document");
        }
        catch (JsonException ex)
        {
            var path = ex.Path is { Length: > 0 } p ? p.TrimStart('$', '.') : "$";
            var issue = new CanaryConfigIssue(CanaryConfigIssueSeverity.Error, path, $"is not valid: {ex.Message}");
            throw new CanaryConfigException($"The canary config is not valid JSON for its format at {issue.Path}: {ex.Message}", [issue], ex);
        }
    }

    private static JsonNode? ReadJson(string json)
    {
        try
        {
            return JsonInput.Parse(json).Root;
        }
        catch (ValidationException e)
        {
            var issues = e.Problems.Select(p => new CanaryConfigIssue(CanaryConfigIssueSeverity.Error, p.Location.Length == 0 ? "$" : p.Location, p.Message)).ToList();
            throw new CanaryConfigException($"The canary config is not valid JSON: {e.Message}", issues, e);
        }
    }

    /// <summary>Parses and validates; throws <see cref="CanaryConfigException"/> listing every error. Warnings are returned.</summary>
    public static (CanaryConfig Config, IReadOnlyList<CanaryConfigIssue> Warnings) Load(string json)
    {
        var config = Parse(json);
        var warnings = CanaryConfigValidator.ThrowIfInvalid(config);
        return (config, warnings);
    }

    public static string Serialize(CanaryConfig config) => JsonSerializer.Serialize(config, Options);
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;

namespace Mizzen.Orchestration.Stages;

/// <summary>
/// The checks stage definitions share when they validate a stage's config: required fields, numbers that may be
/// <c>${}</c> expressions. Messages name the field: <c>stages[2].waitTime: required for a 'wait' stage</c>.
/// </summary>
internal static class StageConfigChecks
{
    /// <summary>A string holding a <c>${ }</c> expression: its value is only known when the stage runs.</summary>
    public static bool IsExpression(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String
                                && value.GetValue<string>().Contains("${", StringComparison.Ordinal);

    /// <summary>Absent, null, or a blank string.</summary>
    public static bool IsMissing(JsonNode? node) =>
        node is null
        || (node is JsonValue value && value.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetValue<string>()));

    public static ValidationProblem Required(string path, string field, string stageType) =>
        new($"{path}.{field}", $"required for a '{stageType}' stage");

    public static IEnumerable<ValidationProblem> RequireString(JsonObject config, string path, string field, string stageType)
    {
        if (IsMissing(config[field]))
        {
            yield return Required(path, field, stageType);
        }
        else if (config[field] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            yield return new ValidationProblem($"{path}.{field}", "must be a string");
        }
    }

    /// <summary>A field that must be a non-negative number, a numeric string, or an expression.</summary>
    public static IEnumerable<ValidationProblem> RequireSeconds(JsonObject config, string path, string field, string stageType)
    {
        if (IsMissing(config[field]))
        {
            yield return Required(path, field, stageType);
            yield break;
        }

        foreach (var problem in OptionalSeconds(config, path, field))
        {
            yield return problem;
        }
    }

    public static IEnumerable<ValidationProblem> OptionalSeconds(JsonObject config, string path, string field)
    {
        var node = config[field];
        if (node is null || IsExpression(node))
        {
            yield break;
        }

        var seconds = Core.Json.MizzenJson.AsDouble(node);
        if (seconds is null)
        {
            yield return new ValidationProblem($"{path}.{field}", $"must be a number of seconds or an expression, got {node.ToJsonString()}");
        }
        else if (seconds < 0)
        {
            yield return new ValidationProblem($"{path}.{field}", $"must not be negative, got {seconds}");
        }
    }

    public static IEnumerable<ValidationProblem> OptionalObject(JsonObject config, string path, string field)
    {
        var node = config[field];
        if (node is not null && node is not JsonObject && !IsExpression(node))
        {
            yield return new ValidationProblem($"{path}.{field}", "must be an object");
        }
    }
}

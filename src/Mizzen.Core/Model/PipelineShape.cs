using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;

namespace Mizzen.Core.Model;

/// <summary>
/// Type-checks the structure of a pipeline config before anything reads it: lists that must be lists, entries that must
/// be objects, ids that must be strings or numbers. Each problem names its field path (<c>parameterConfig[0]</c>,
/// <c>stages[1].requisiteStageRefIds</c>), so a value of the wrong type is a 400, never a crash further on.
/// </summary>
public static class PipelineShape
{
    private static readonly string[] ListsOfObjects = ["parameterConfig", "triggers", "notifications", "expectedArtifacts"];

    public static IReadOnlyList<ValidationProblem> Check(JsonObject pipeline, string stagesKey = "stages")
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var problems = new List<ValidationProblem>();
        foreach (var key in ListsOfObjects)
        {
            ListOfObjects(pipeline, key, key, problems);
        }

        if (pipeline["parameterConfig"] is JsonArray parameters)
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                if (parameters[i] is JsonObject parameter)
                {
                    Scalar(parameter, "name", $"parameterConfig[{i}].name", problems);
                    ListOfObjects(parameter, "options", $"parameterConfig[{i}].options", problems);
                }
            }
        }

        ListOfObjects(pipeline, stagesKey, stagesKey, problems);
        if (pipeline[stagesKey] is JsonArray stages)
        {
            for (var i = 0; i < stages.Count; i++)
            {
                if (stages[i] is JsonObject stage)
                {
                    CheckStage(stage, $"{stagesKey}[{i}]", problems);
                }
            }
        }

        return problems;
    }

    private static void CheckStage(JsonObject stage, string path, List<ValidationProblem> problems)
    {
        Scalar(stage, "refId", $"{path}.refId", problems);
        Scalar(stage, "type", $"{path}.type", problems);
        if (stage["requisiteStageRefIds"] is { } requisites)
        {
            if (requisites is not JsonArray list)
            {
                problems.Add(new($"{path}.requisiteStageRefIds", $"must be a list of refIds, not {Describe(requisites)}"));
            }
            else
            {
                for (var i = 0; i < list.Count; i++)
                {
                    if (!IsScalar(list[i]))
                    {
                        problems.Add(new($"{path}.requisiteStageRefIds[{i}]", $"must be a refId (a string), not {Describe(list[i])}"));
                    }
                }
            }
        }
    }

    private static void ListOfObjects(JsonObject parent, string key, string path, List<ValidationProblem> problems)
    {
        switch (parent[key])
        {
            case null:
                return;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is not JsonObject)
                    {
                        problems.Add(new($"{path}[{i}]", $"must be an object, not {Describe(list[i])}"));
                    }
                }

                return;
            case var other:
                problems.Add(new(path, $"must be a list of objects, not {Describe(other)}"));
                return;
        }
    }

    private static void Scalar(JsonObject parent, string key, string path, List<ValidationProblem> problems)
    {
        if (parent[key] is { } value && !IsScalar(value))
        {
            problems.Add(new(path, $"must be a string, not {Describe(value)}"));
        }
    }

    private static bool IsScalar(JsonNode? node) => node is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number;

    /// <summary>What a value is, in words for a message: "an array", "a number", "null".</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "a list",
        JsonObject => "an object",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            _ => "a boolean",
        },
        _ => "another kind of value",
    };
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Expressions;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages;

namespace Mizzen.Orchestration.Validation;

/// <summary>
/// Checks a pipeline config and reports every problem at once, each with where it is: JSON errors (line, column),
/// refIds missing or duplicated, requisites that point nowhere, cycles, unknown stage types, fields a stage type
/// needs, and expression syntax errors (field path and column).
/// </summary>
public sealed partial class PipelineValidator(StageCatalog catalog, IExpressionEvaluator expressions)
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public IReadOnlyList<ValidationProblem> Validate(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: DocumentOptions);
        }
        catch (JsonException e)
        {
            return [new ValidationProblem($"line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}", "invalid JSON: " + FirstSentence(e.Message))];
        }

        return node is JsonObject pipeline
            ? Validate(pipeline)
            : [new ValidationProblem("", "a pipeline config must be a JSON object")];
    }

    public IReadOnlyList<ValidationProblem> Validate(JsonObject pipeline)
    {
        var problems = new List<ValidationProblem>();
        if (string.IsNullOrWhiteSpace(pipeline["application"].AsString()))
        {
            problems.Add(new("application", "required: the application this pipeline belongs to"));
        }

        if (string.IsNullOrWhiteSpace(pipeline["name"].AsString()))
        {
            problems.Add(new("name", "required: the pipeline's name"));
        }

        if (pipeline["stages"] is not JsonArray stages)
        {
            if (pipeline["stages"] is not null)
            {
                problems.Add(new("stages", "must be a list of stages"));
            }

            return problems;
        }

        CheckParameters(pipeline, problems);
        StageGraphChecks.Check(stages, problems);
        for (var i = 0; i < stages.Count; i++)
        {
            if (stages[i] is JsonObject stage)
            {
                CheckStage(stage, $"stages[{i}]", problems);
            }
        }

        CheckExpressions(pipeline, "", problems);
        return problems;
    }

    private void CheckStage(JsonObject stage, string path, List<ValidationProblem> problems)
    {
        var type = stage["type"].AsString();
        if (string.IsNullOrWhiteSpace(type))
        {
            problems.Add(new($"{path}.type", "required: every stage needs a type"));
            return;
        }

        var lookup = stage["alias"].AsString() is { Length: > 0 } alias && catalog.TryGet(alias, out _) ? alias : type;
        if (!catalog.TryGet(lookup, out var definition))
        {
            problems.Add(new($"{path}.type", $"stage '{stage["name"].AsString() ?? type}' has type '{type}', which Mizzen cannot run yet"));
            return;
        }

        problems.AddRange(definition.Validate(stage, path));
        if (stage["restrictExecutionDuringTimeWindow"].AsBool() == true && catalog.TryGet(StagePlanner.ExecutionWindowType, out var window))
        {
            problems.AddRange(window.Validate(stage, path));
        }

        if (stage["stageEnabled"] is JsonObject enabled && enabled["expression"].AsString() is { Length: > 0 } condition
            && !condition.Contains("${", StringComparison.Ordinal))
        {
            foreach (var error in expressions.CheckSyntax("${" + condition + "}"))
            {
                problems.Add(new($"{path}.stageEnabled.expression", $"column {Math.Max(1, error.Column - 2)}: {error.Message}"));
            }
        }
    }

    private static void CheckParameters(JsonObject pipeline, List<ValidationProblem> problems)
    {
        if (pipeline["parameterConfig"] is not JsonArray parameters)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < parameters.Count; i++)
        {
            var name = parameters[i]?["name"].AsString();
            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add(new($"parameterConfig[{i}].name", "required: every parameter needs a name"));
            }
            else if (!seen.Add(name))
            {
                problems.Add(new($"parameterConfig[{i}].name", $"parameter '{name}' is defined twice"));
            }
        }
    }

    private void CheckExpressions(JsonNode? node, string path, List<ValidationProblem> problems)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var childPath = path.Length == 0 ? key : $"{path}.{key}";
                    if (key.Contains("${", StringComparison.Ordinal))
                    {
                        AddSyntaxErrors(key, childPath + " (key)", problems);
                    }

                    CheckExpressions(value, childPath, problems);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    CheckExpressions(array[i], $"{path}[{i}]", problems);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                if (text.Contains("${", StringComparison.Ordinal))
                {
                    AddSyntaxErrors(text, path, problems);
                }

                break;
        }
    }

    private void AddSyntaxErrors(string text, string path, List<ValidationProblem> problems)
    {
        foreach (var error in expressions.CheckSyntax(text))
        {
            problems.Add(new(path, $"expression syntax error at column {error.Column}: {error.Message}"));
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

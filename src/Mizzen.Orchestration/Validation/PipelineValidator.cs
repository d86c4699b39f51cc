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
public sealed partial class PipelineValidator(StageCatalog catalog, IExpressionEvaluator expressions, Clouds.CloudProviderRegistry? clouds = null)
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
        CheckCloudProviders(stage, path, problems);
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

    /// <summary>
    /// A stage (or a deploy's cluster) aimed at a cloud provider Mizzen has no account for cannot run: say so now, not at
    /// deploy time. Stages without <c>cloudProvider</c> use the default (<c>local</c>).
    /// </summary>
    private void CheckCloudProviders(JsonObject stage, string path, List<ValidationProblem> problems)
    {
        if (clouds is null)
        {
            return;
        }

        var targets = new List<(JsonObject Node, string Path)> { (stage, path) };
        if (stage["cluster"] is JsonObject cluster)
        {
            targets.Add((cluster, $"{path}.cluster"));
        }

        if (stage["clusters"] is JsonArray clusters)
        {
            targets.AddRange(clusters.Select((c, i) => (c as JsonObject, $"{path}.clusters[{i}]")).Where(t => t.Item1 is not null)!);
        }

        foreach (var (node, at) in targets)
        {
            var provider = node["cloudProvider"].AsString() ?? node["provider"].AsString();
            if (provider is { Length: > 0 } && !provider.Contains("${", StringComparison.Ordinal) && !clouds.TryGet(provider, out _))
            {
                problems.Add(new($"{at}.cloudProvider",
                    $"cloud provider '{provider}' is not available in Mizzen (available: {string.Join(", ", clouds.All.Select(p => p.Name))})"));
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

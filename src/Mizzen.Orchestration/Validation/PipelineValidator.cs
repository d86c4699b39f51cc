using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Expressions;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Expressions;
using Mizzen.Expressions.Analysis;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages;

namespace Mizzen.Orchestration.Validation;

/// <summary>
/// Checks a pipeline config and reports every problem at once, each with where it is. Errors make it not runnable: JSON
/// errors (line, column), refIds missing or duplicated, requisites that point nowhere, cycles, unknown stage types,
/// cloud providers Mizzen lacks, fields a stage type needs, expression syntax errors and unknown <c>#functions</c>,
/// unresolvable artifact ids, template references. Warnings do not: repeated keys, triggers and notifications nothing
/// acts on yet, undeclared parameters, misspelt trigger fields, no stages.
/// </summary>
public sealed partial class PipelineValidator(
    StageCatalog catalog,
    IExpressionEvaluator expressions,
    Clouds.CloudProviderRegistry? clouds = null,
    IEnumerable<ITriggerValidation>? triggerTypes = null,
    IEnumerable<INotificationValidation>? notificationTypes = null)
{
    private readonly Dictionary<string, ITriggerValidation> triggerValidations =
        (triggerTypes ?? []).ToDictionary(t => t.Type, StringComparer.OrdinalIgnoreCase);

    private readonly Dictionary<string, INotificationValidation> notificationValidations =
        (notificationTypes ?? []).ToDictionary(t => t.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The cloud providers Mizzen has: what offline validation (no server to ask) accepts. A server registers each of them
    /// whether or not it has accounts, so online and offline agree; <c>kubernetes</c> is named here because Orchestration
    /// does not reference its provider project.
    /// </summary>
    public static IReadOnlyList<string> ShippedCloudProviders { get; } = [Clouds.CloudProviderRegistry.DefaultProvider, "kubernetes"];

    /// <summary>The errors in a pipeline config: what stops it from running. <see cref="Check(string)"/> adds the warnings.</summary>
    public IReadOnlyList<ValidationProblem> Validate(string json) => [.. Check(json).Where(p => p.IsError)];

    /// <inheritdoc cref="Validate(string)"/>
    public IReadOnlyList<ValidationProblem> Validate(JsonObject pipeline) => [.. Check(pipeline).Where(p => p.IsError)];

    /// <summary>
    /// Every problem in a pipeline config's text: errors (not runnable) and warnings (runnable, but something does not do what
    /// it seems to). The JSON is read as Spinnaker reads it: a repeated key takes its last value, with a warning.
    /// </summary>
    public IReadOnlyList<ValidationProblem> Check(string json)
    {
        JsonInputResult parsed;
        try
        {
            parsed = JsonInput.Parse(json);
        }
        catch (ValidationException e)
        {
            return e.Problems;
        }

        return parsed.Root is JsonObject pipeline
            ? [.. parsed.Warnings, .. Check(pipeline)]
            : [new ValidationProblem("", "a pipeline config must be a JSON object")];
    }

    /// <inheritdoc cref="Check(string)"/>
    public IReadOnlyList<ValidationProblem> Check(JsonObject pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);

        // The structure first: a list where an object must be (parameterConfig: [1]) is named here, not met further on.
        if (PipelineShape.Check(pipeline) is { Count: > 0 } shape)
        {
            return shape;
        }

        var problems = new List<ValidationProblem>();
        if (string.IsNullOrWhiteSpace(pipeline["application"].AsString()))
        {
            problems.Add(new("application", "required: the application this pipeline belongs to"));
        }

        if (string.IsNullOrWhiteSpace(pipeline["name"].AsString()))
        {
            problems.Add(new("name", "required: the pipeline's name"));
        }

        if (pipeline["type"].AsString() is "PIPELINE" or "ORCHESTRATION" && pipeline["status"].AsString() is { } status && pipeline["stages"] is JsonArray)
        {
            problems.Add(new("status", $"this is a stored execution (one run, status {status}), not a pipeline config: save the run's pipeline config (its pipelineConfigId, or initialConfig) instead"));
            return problems;
        }

        if (TemplatedPipelineCheck.Describe(pipeline) is { } templated)
        {
            problems.Add(templated);
            return problems;
        }

        if (pipeline["stages"] is not JsonArray stages)
        {
            problems.Add(pipeline["stages"] is null
                ? ValidationProblem.Warning("stages", "the pipeline has no stages: starting it does nothing")
                : new("stages", "must be a list of stages"));
            return problems;
        }

        if (stages.Count == 0)
        {
            problems.Add(ValidationProblem.Warning("stages", "the pipeline has no stages: starting it does nothing"));
        }

        var references = ReferenceCheck(pipeline);
        CheckParameters(pipeline, problems);
        TriggerAndNotificationChecks.Check(pipeline, triggerValidations, notificationValidations, problems);
        StageGraphChecks.Check(stages, problems);
        ArtifactReferenceChecks.Check(pipeline, stages, problems);
        for (var i = 0; i < stages.Count; i++)
        {
            if (stages[i] is JsonObject stage)
            {
                CheckStage(stage, $"stages[{i}]", references, problems);
            }
        }

        CheckExpressions(pipeline, "", references, problems);
        return problems;
    }

    private void CheckStage(JsonObject stage, string path, ExpressionReferenceCheck? references, List<ValidationProblem> problems)
    {
        var type = stage["type"].AsString();
        if (string.IsNullOrWhiteSpace(type))
        {
            problems.Add(new($"{path}.type", "required: every stage needs a type"));
            return;
        }

        // Deck writes an "alias" (a runJobManifest saved as "runJob"); the type is what runs, as in Orca.
        if (!catalog.TryGet(type, out var definition))
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

            if (references is not null)
            {
                problems.AddRange(references.Check("${" + condition + "}", $"{path}.stageEnabled.expression", columnShift: -2));
            }
        }
    }

    /// <summary>
    /// A stage (or a deploy's cluster) aimed at a cloud provider Mizzen has no account for cannot run: say so now, not at
    /// deploy time. Stages without <c>cloudProvider</c> use the default (<c>local</c>).
    /// </summary>
    private void CheckCloudProviders(JsonObject stage, string path, List<ValidationProblem> problems)
    {
        // Offline (no server, no accounts) the providers Mizzen ships are what a pipeline can use.
        IReadOnlyCollection<string> available = clouds is null ? ShippedCloudProviders : [.. clouds.All.Select(p => p.Name)];
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
            if (provider is { Length: > 0 } && !provider.Contains("${", StringComparison.Ordinal) && !available.Contains(provider, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add(new($"{at}.cloudProvider",
                    $"cloud provider '{provider}' is not available in Mizzen (available: {(available.Count == 0 ? "none" : string.Join(", ", available))})"));
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
            if (parameters[i] is not JsonObject parameter)
            {
                problems.Add(new($"parameterConfig[{i}]", "a parameter must be a JSON object with a name"));
                continue;
            }

            var name = parameter["name"].AsString();
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

    private void CheckExpressions(JsonNode? node, string path, ExpressionReferenceCheck? references, List<ValidationProblem> problems)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var childPath = path.Length == 0 ? key : $"{path}.{key}";
                    if (key.Contains("${", StringComparison.Ordinal))
                    {
                        AddSyntaxErrors(key, childPath + " (key)", references, problems);
                    }

                    CheckExpressions(value, childPath, references, problems);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    CheckExpressions(array[i], $"{path}[{i}]", references, problems);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                if (text.Contains("${", StringComparison.Ordinal))
                {
                    AddSyntaxErrors(text, path, references, problems);
                }

                break;
        }
    }

    private void AddSyntaxErrors(string text, string path, ExpressionReferenceCheck? references, List<ValidationProblem> problems)
    {
        var errors = expressions.CheckSyntax(text);
        foreach (var error in errors)
        {
            problems.Add(new(path, $"expression syntax error at column {error.Column}: {error.Message}"));
        }

        if (errors.Count == 0 && references is not null)
        {
            problems.AddRange(references.Check(text, path));
        }
    }

    /// <summary>
    /// Function names come from the real evaluator (built-ins and every registered provider); with another evaluator
    /// (a test double) references are not checked. Parameters are those <c>parameterConfig</c> declares.
    /// </summary>
    private ExpressionReferenceCheck? ReferenceCheck(JsonObject pipeline)
    {
        if (expressions is not SpelExpressionEvaluator spel)
        {
            return null;
        }

        var declared = (pipeline["parameterConfig"] as JsonArray ?? [])
            .Select(p => (p as JsonObject)?["name"].AsString())
            .OfType<string>();
        return new ExpressionReferenceCheck(spel.FunctionNames, declared);
    }
}

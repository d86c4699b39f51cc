using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Expressions;

/// <summary>
/// Evaluation without a server, for <c>mizzen expression eval --context CONTEXT.json (--input INPUT.json | --expression TEXT)</c>.
/// CONTEXT is the root object; when it has an <c>execution</c> object that reads as a pipeline execution, the execution-aware
/// helpers (<c>#stage</c>, <c>#judgment</c>, <c>deployedServerGroups</c> ...) use it. INPUT is processed as a stage context is.
/// </summary>
public static class OfflineEvaluation
{
    /// <summary>Returns <c>{"result": processed input, "summary": expressionEvaluationSummary or null}</c>.</summary>
    public static JsonObject Run(JsonObject context, JsonNode? input, SpelExpressionEvaluator? evaluator = null, bool allowUnknownKeys = true)
    {
        ArgumentNullException.ThrowIfNull(context);
        var owned = evaluator is null ? new SpelExpressionEvaluator(new ExpressionOptions(), TimeProvider.System) : null;
        try
        {
            var scope = new ExpressionScope(Execution: ReadExecution(context), Root: context) { AllowUnknownKeys = allowUnknownKeys };
            var processed = (evaluator ?? owned!).Process(input, scope);
            return new JsonObject
            {
                ["result"] = processed.Value,
                ["summary"] = processed.Summary.HasFailures ? processed.Summary.ToJson() : null,
            };
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>Wraps a bare expression text as the INPUT of <see cref="Run"/>: <c>--expression 'TEXT'</c> with or without <c>${ }</c>.</summary>
    public static JsonNode ExpressionInput(string text) =>
        JsonValue.Create(text.Contains("${", StringComparison.Ordinal) ? text : "${" + text + "}");

    private static PipelineExecution? ReadExecution(JsonObject context)
    {
        if (context["execution"] is not JsonObject json || json["stages"] is not JsonArray)
        {
            return null;
        }

        try
        {
            return json.Deserialize<PipelineExecution>(MizzenJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

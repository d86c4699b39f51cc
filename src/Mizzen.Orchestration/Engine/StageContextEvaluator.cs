using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Engine;

/// <summary>Evaluates <c>${ }</c> in stage contexts and <c>stageEnabled</c> conditions, skipping the evaluator when there is nothing to evaluate.</summary>
public sealed class StageContextEvaluator(IExpressionEvaluator evaluator)
{
    public const string SummaryKey = "expressionEvaluationSummary";

    /// <summary>
    /// The stage context with expressions evaluated (a copy), and the failures on the way. Keys in
    /// <paramref name="unevaluated"/> are copied as they are.
    /// </summary>
    public ExpressionProcessingResult Evaluate(PipelineExecution execution, StageExecution stage, IReadOnlyCollection<string>? unevaluated = null)
    {
        if (!ContainsExpression(stage.Context))
        {
            return new ExpressionProcessingResult(stage.Context.DeepClone(), new ExpressionEvaluationSummary());
        }

        var scope = new ExpressionScope(execution, stage, User: execution.Authentication.User);
        if (unevaluated is not { Count: > 0 })
        {
            return evaluator.Process(stage.Context, scope);
        }

        var subject = new JsonObject();
        foreach (var (key, value) in stage.Context)
        {
            if (!unevaluated.Contains(key))
            {
                subject[key] = value?.DeepClone();
            }
        }

        var result = evaluator.Process(subject, scope);
        if (result.Value is JsonObject evaluated)
        {
            foreach (var key in unevaluated)
            {
                if (stage.Context.TryGetPropertyValue(key, out var raw))
                {
                    evaluated[key] = raw?.DeepClone();
                }
            }
        }

        return result;
    }

    /// <summary>Replaces the stage's context with its evaluated form and records failures as Orca does.</summary>
    public void EvaluateInPlace(PipelineExecution execution, StageExecution stage, IReadOnlyCollection<string>? unevaluated = null)
    {
        if (!ContainsExpression(stage.Context))
        {
            return;
        }

        var result = Evaluate(execution, stage, unevaluated);
        if (result.Value is JsonObject evaluated)
        {
            stage.Context = evaluated;
        }

        RecordSummary(stage.Context, result.Summary);
    }

    public static void RecordSummary(JsonObject context, ExpressionEvaluationSummary summary)
    {
        if (summary.HasFailures)
        {
            context[SummaryKey] = summary.ToJson();
        }
        else
        {
            context.Remove(SummaryKey);
        }
    }

    /// <summary>
    /// Orca's <c>stageEnabled</c>: enabled unless it is an expression that evaluates to false; an expression that
    /// cannot be evaluated to true or false skips the stage. Synthetic stages inherit their parent's.
    /// </summary>
    public bool IsEnabled(PipelineExecution execution, StageExecution stage, out string? warning)
    {
        warning = null;
        if (stage.Context["stageEnabled"] is not JsonObject enabled
            || !string.Equals(enabled["type"].AsString(), "expression", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var expression = enabled["expression"].AsString();
        if (string.IsNullOrWhiteSpace(expression))
        {
            return true;
        }

        var result = evaluator.Evaluate(StripWrapper(expression), new ExpressionScope(execution, stage, User: execution.Authentication.User));
        var text = result.Value switch
        {
            JsonValue v when v.GetValueKind() is JsonValueKind.True => "true",
            JsonValue v when v.GetValueKind() is JsonValueKind.False => "false",
            JsonValue v when v.GetValueKind() is JsonValueKind.String => v.GetValue<string>().Trim().ToLowerInvariant(),
            _ => null,
        };
        if (text is "true")
        {
            return true;
        }

        if (text is not "false")
        {
            warning = $"Conditional Expression '{expression}' could not be evaluated" + (result.Error is null ? "" : $": {result.Error}");
        }

        return false;
    }

    /// <summary>True when the stage has a <c>stageEnabled</c> condition of type expression to evaluate.</summary>
    public static bool HasEnabledCondition(StageExecution stage) =>
        stage.Context["stageEnabled"] is JsonObject enabled
        && string.Equals(enabled["type"].AsString(), "expression", StringComparison.OrdinalIgnoreCase)
        && !string.IsNullOrWhiteSpace(enabled["expression"].AsString());

    private static string StripWrapper(string expression)
    {
        var trimmed = expression.Trim();
        return trimmed.StartsWith("${", StringComparison.Ordinal) && trimmed.EndsWith('}') ? trimmed[2..^1] : trimmed;
    }

    public static bool ContainsExpression(JsonNode? node) => node switch
    {
        JsonObject o => o.Any(p => p.Key.Contains("${", StringComparison.Ordinal) || ContainsExpression(p.Value)),
        JsonArray a => a.Any(ContainsExpression),
        JsonValue v => v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Contains("${", StringComparison.Ordinal),
        _ => false,
    };
}

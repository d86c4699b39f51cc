using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Expressions.Conditions;

/// <summary>
/// Orca's <c>expression</c> precondition: evaluates <c>${expression}</c> for the stage; an unevaluated wrapper is stripped, and
/// the result passes when it reads as <c>true</c> (Java's <c>Boolean.valueOf</c>). <see cref="PreconditionResult.ExpressionResult"/>
/// is what Orca stores as <c>context.expressionResult</c>.
/// </summary>
public static class ExpressionPrecondition
{
    public static PreconditionResult Check(IExpressionEvaluator evaluator, PipelineExecution execution, StageExecution stage, string expression)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        var wrapped = "${" + expression + "}";
        var processed = evaluator.Process(JsonValue.Create(wrapped), new ExpressionScope(execution, stage));
        var text = processed.Value.AsString() ?? "null";
        if (text == wrapped)
        {
            text = expression;
        }

        return new PreconditionResult(string.Equals(text, "true", StringComparison.OrdinalIgnoreCase), text, processed.Summary);
    }
}

/// <summary>Whether the precondition passed, the result text, and the evaluation summary.</summary>
public sealed record PreconditionResult(bool Passed, string ExpressionResult, ExpressionEvaluationSummary Summary);

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mizzen.Core.Errors;
using Mizzen.Core.Expressions;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.CheckPreconditions;

/// <summary>
/// <c>{type: "expression", context: {expression}}</c>: evaluates the bare expression (an unevaluated <c>${…}</c> wrapper is
/// stripped first) and holds when the result reads as Java's <c>Boolean.valueOf</c>: the text <c>true</c>, any case.
/// The result text goes to <c>context.expressionResult</c>, as in Orca.
/// </summary>
public sealed partial class ExpressionPrecondition(IExpressionEvaluator evaluator) : IPrecondition
{
    public string Type => "expression";

    public Task<TaskResult> CheckAsync(TaskContext context, JsonObject preconditionContext, CancellationToken cancellationToken)
    {
        var node = preconditionContext["expression"];
        string resultText;
        string? error = null;
        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            // The engine already evaluated a "${ ... }" to a boolean.
            resultText = value.GetValueKind() == JsonValueKind.True ? "true" : "false";
        }
        else if (node is JsonValue text && text.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace(text.GetValue<string>()))
        {
            var expression = StripWrapper(text.GetValue<string>());
            var result = evaluator.Evaluate(expression, new ExpressionScope(context.Execution, context.Stage, User: context.User));
            error = result.Error;
            resultText = result.Succeeded && result.Value is not null ? AsText(result.Value) : expression;
        }
        else
        {
            return Task.FromResult(TaskResult.Terminal("The expression precondition has no 'expression' to evaluate"));
        }

        var recorded = context.Stage.Context["context"] is JsonObject raw ? (JsonObject)raw.DeepClone() : (JsonObject)preconditionContext.DeepClone();
        recorded["expressionResult"] = resultText;
        var stageContext = new JsonObject { ["context"] = recorded };

        if (error is not null)
        {
            return Task.FromResult(TaskResult.Terminal($"Failed to evaluate the precondition expression '{resultText}': {error}", stageContext));
        }

        return Task.FromResult(string.Equals(resultText, "true", StringComparison.OrdinalIgnoreCase)
            ? TaskResult.Succeeded(stageContext)
            : TaskResult.Terminal($"Precondition expression evaluated to '{resultText}', not true", stageContext));
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject preconditionContext, string path)
    {
        var expression = preconditionContext["expression"];
        if (expression is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            yield break;
        }

        if (StageConfigChecks.IsMissing(expression))
        {
            yield return new ValidationProblem($"{path}.expression", "required for an 'expression' precondition");
        }
    }

    /// <summary>Orca's <c>\$\{(.*)}</c> match: a whole-string <c>${…}</c> wrapper is removed.</summary>
    public static string StripWrapper(string expression)
    {
        var match = Wrapper().Match(expression);
        return match.Success ? match.Groups[1].Value : expression;
    }

    private static string AsText(JsonNode value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.String
        ? v.GetValue<string>()
        : value.ToJsonString();

    [GeneratedRegex(@"^\$\{(.*)\}$", RegexOptions.Singleline)]
    private static partial Regex Wrapper();
}

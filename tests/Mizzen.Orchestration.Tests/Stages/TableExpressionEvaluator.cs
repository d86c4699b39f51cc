using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mizzen.Core.Expressions;

namespace Mizzen.Orchestration.Tests.Stages;

/// <summary>
/// Test double for <see cref="IExpressionEvaluator"/>: expressions are looked up in a table (a value, a function of the
/// scope, or an error), then in <see cref="ExpressionScope.Variables"/>. No parsing: enough to test what tasks decide.
/// </summary>
internal sealed partial class TableExpressionEvaluator : IExpressionEvaluator
{
    private readonly Dictionary<string, Func<ExpressionScope, ExpressionValueResult>> table = new(StringComparer.Ordinal);

    public List<(string Expression, ExpressionScope Scope)> Calls { get; } = [];

    public TableExpressionEvaluator Add(string expression, JsonNode? value) =>
        Add(expression, _ => value?.DeepClone());

    public TableExpressionEvaluator Add(string expression, Func<ExpressionScope, JsonNode?> compute)
    {
        // Round-trip through text so values look like parsed JSON, as a real evaluator's results do.
        table[expression] = scope => new ExpressionValueResult(compute(scope) is { } v ? JsonNode.Parse(v.ToJsonString()) : null, null);
        return this;
    }

    public TableExpressionEvaluator Fail(string expression, string error)
    {
        table[expression] = _ => new ExpressionValueResult(null, error);
        return this;
    }

    public ExpressionValueResult Evaluate(string expression, ExpressionScope scope)
    {
        var key = expression.Trim();
        Calls.Add((key, scope));
        if (table.TryGetValue(key, out var entry))
        {
            return entry(scope);
        }

        return scope.Variables is not null && scope.Variables.TryGetPropertyValue(key, out var variable)
            ? new ExpressionValueResult(variable?.DeepClone(), null)
            : new ExpressionValueResult(null, $"{key} not found");
    }

    public ExpressionProcessingResult Process(JsonNode? value, ExpressionScope scope)
    {
        var summary = new ExpressionEvaluationSummary();
        return new ExpressionProcessingResult(Walk(value, scope, summary), summary);
    }

    public IReadOnlyList<ExpressionSyntaxError> CheckSyntax(string text) => [];

    private JsonNode? Walk(JsonNode? node, ExpressionScope scope, ExpressionEvaluationSummary summary)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (k, v) in obj)
                {
                    copy[k] = Walk(v, scope, summary);
                }

                return copy;
            case JsonArray array:
                return new JsonArray(array.Select(item => Walk(item, scope, summary)).ToArray());
            case JsonValue value when value.TryGetValue<string>(out var text) && text.Contains("${", StringComparison.Ordinal):
                return EvaluateText(text, scope, summary);
            default:
                return node?.DeepClone();
        }
    }

    private JsonNode? EvaluateText(string text, ExpressionScope scope, ExpressionEvaluationSummary summary)
    {
        summary.Evaluated();
        var whole = Single().Match(text);
        if (whole.Success)
        {
            var result = Evaluate(whole.Groups[1].Value, scope);
            if (result.Succeeded && result.Value is not null)
            {
                return result.Value;
            }

            summary.Add(whole.Groups[1].Value.Trim(), new ExpressionFailure(result.Error ?? "null", ExpressionFailure.Error, 0, "TestFailure"));
            return JsonValue.Create(text);
        }

        return JsonValue.Create(Part().Replace(text, m =>
        {
            var result = Evaluate(m.Groups[1].Value, scope);
            return result.Succeeded && result.Value is not null ? result.Value.ToString() : m.Value;
        }));
    }

    [GeneratedRegex(@"^\$\{([^{}]*)\}$")]
    private static partial Regex Single();

    [GeneratedRegex(@"\$\{([^{}]*)\}")]
    private static partial Regex Part();
}

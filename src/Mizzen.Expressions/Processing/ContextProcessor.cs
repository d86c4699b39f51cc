using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Parsing;

namespace Mizzen.Expressions.Processing;

/// <summary>
/// One <see cref="IExpressionEvaluator.Process"/> call: copies the value, evaluating every string that holds <c>${</c>
/// (map keys too) and recording failures in Orca's summary shape. The input is never changed.
/// </summary>
internal sealed class ContextProcessor(
    EvaluationEnvironment environment,
    ParsedExpressionCache<ParsedTemplate> templates,
    ExpressionScope scope)
{
    private RootView? root;
    private long resultBytes;

    public ExpressionEvaluationSummary Summary { get; } = new();

    private RootView Root => root ??= new RootView(scope);

    public JsonNode? Process(JsonNode? value) =>
        ExpressionScanner.ContainsExpression(value) ? Walk(value, "", null) : value?.DeepClone();

    private JsonNode? Walk(JsonNode? node, string path, string? fieldKey)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    var childPath = FieldPaths.Property(path, key);
                    var newKey = key.Contains("${", StringComparison.Ordinal) ? EvaluateKey(key, childPath) : key;
                    copy[newKey] = ExpressionScanner.ContainsExpression(child) ? Walk(child, childPath, key) : child?.DeepClone();
                }

                return copy;
            case JsonArray array:
                var items = new JsonArray();
                for (var i = 0; i < array.Count; i++)
                {
                    var item = array[i];
                    items.Add(ExpressionScanner.ContainsExpression(item) ? Walk(item, FieldPaths.Index(path, i), fieldKey) : item?.DeepClone());
                }

                return items;
            case JsonValue value when value.TryGetValue<string>(out var text) && text.Contains("${", StringComparison.Ordinal):
                return EvaluateString(text, path, fieldKey);
            default:
                return node?.DeepClone();
        }
    }

    private string EvaluateKey(string key, string path)
    {
        var result = EvaluateString(key, path, key);
        return result is JsonValue v && v.TryGetValue<string>(out var text) ? text : result?.ToJsonString() ?? key;
    }

    private JsonNode? EvaluateString(string text, string path, string? fieldKey)
    {
        Summary.Evaluated();
        var template = templates.Get(text);
        var outcome = new TemplateEvaluation(environment, Root, scope.AllowUnknownKeys).Evaluate(template);
        outcome = WithinContextBound(outcome, template);
        if (outcome.Failure is { } failure)
        {
            FailureReporter.Record(Summary, failure, text, path, fieldKey, environment.Clock);
        }

        return outcome.Keep ? JsonValue.Create(text) : outcome.Value;
    }

    /// <summary>
    /// Each expression is bounded by <see cref="ExpressionOptions.MaxEvaluationBytes"/>; the results that stay in the
    /// processed context are bounded by it together, so many expressions each just under the bound cannot add up.
    /// </summary>
    private TemplateOutcome WithinContextBound(TemplateOutcome outcome, ParsedTemplate template)
    {
        resultBytes += outcome.Bytes;
        var max = environment.Options.MaxEvaluationBytes;
        if (resultBytes <= max || outcome.Keep)
        {
            return outcome;
        }

        resultBytes -= outcome.Bytes;
        return TemplateOutcome.Failed(new EvaluationFailure(
            TemplateEvaluation.Key(template),
            $"the evaluated values of this context would hold more than {max} bytes; simplify the expressions or raise Mizzen:Expressions:MaxEvaluationBytes",
            ExpressionException.LimitExceeded,
            IsNotFound: false,
            null));
    }
}

/// <summary>Finds strings with <c>${</c> without copying anything, so contexts without expressions cost one walk and one clone.</summary>
internal static class ExpressionScanner
{
    public static bool ContainsExpression(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    if (key.Contains("${", StringComparison.Ordinal) || ContainsExpression(child))
                    {
                        return true;
                    }
                }

                return false;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (ContainsExpression(item))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValue value:
                return value.GetValueKind() == System.Text.Json.JsonValueKind.String
                       && value.TryGetValue<string>(out var text) && text.Contains("${", StringComparison.Ordinal);
            default:
                return false;
        }
    }
}

/// <summary>JSON paths for <see cref="ExpressionFailure.FieldPath"/>: <c>clusters[0].account</c>, <c>['deploy.server.groups']</c>.</summary>
internal static class FieldPaths
{
    public static string Property(string parent, string key)
    {
        var simple = key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') && !char.IsAsciiDigit(key[0]);
        var segment = simple ? key : "['" + key.Replace("'", "\\'", StringComparison.Ordinal) + "']";
        return parent.Length == 0 ? segment : simple ? parent + "." + segment : parent + segment;
    }

    public static string Index(string parent, int index) => $"{parent}[{index}]";
}

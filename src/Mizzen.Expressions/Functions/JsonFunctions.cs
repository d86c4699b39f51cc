using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;
using static Mizzen.Expressions.Functions.FunctionArguments;

namespace Mizzen.Expressions.Functions;

/// <summary><c>#toJson</c>, <c>#doNotEval</c>, <c>#readJson</c>, <c>#readYaml</c>, <c>#readAllYaml</c>.</summary>
internal static class JsonFunctions
{
    public static void Register(ExpressionFunctionRegistry registry)
    {
        registry.Add("toJson", ToJson);
        registry.Add("doNotEval", (args, _) =>
        {
            Count(args, 1, "#doNotEval(value)");
            return new DoNotEvalValue(args[0]);
        });
        registry.Add("readJson", (args, state) =>
        {
            Count(args, 1, "#readJson(text)");
            return JsonDocumentReader.Read(Text(args, 0, "#readJson(text)"), state, "#readJson");
        });
        registry.Add("readYaml", (args, state) =>
        {
            Count(args, 1, "#readYaml(text)");
            return YamlReader.ReadOne(Text(args, 0, "#readYaml(text)"), state, "#readYaml(text)");
        });
        registry.Add("readAllYaml", (args, state) =>
        {
            Count(args, 1, "#readAllYaml(text)");
            return YamlReader.ReadAll(Text(args, 0, "#readAllYaml(text)"), state, "#readAllYaml(text)");
        });
    }

    private static object? ToJson(object?[] args, EvaluationState state)
    {
        Count(args, 1, "#toJson(value)");
        if (args[0] is DoNotEvalValue wrapped)
        {
            return JsonNodeBuilder.ToJsonText(wrapped.Value, state);
        }

        var json = JsonNodeBuilder.ToJsonText(args[0], state);
        if (json.Contains("${", StringComparison.Ordinal))
        {
            throw new ExpressionFunctionException("result for toJson cannot contain an expression (wrap the value in #doNotEval(...) to keep it as text)");
        }

        return json;
    }

    public static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}

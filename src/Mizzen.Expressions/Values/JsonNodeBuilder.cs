using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Types;

namespace Mizzen.Expressions.Values;

/// <summary>
/// Turns a computed value into independent JSON (the result of an expression, <c>#toJson</c>, a provider function's
/// arguments). Every node built is charged to the evaluation, so a list that holds the same large value many times
/// (a projection of <c>#root</c>, an expanded YAML alias) stops at <c>Mizzen:Expressions:MaxEvaluationBytes</c>
/// instead of being copied out in full.
/// </summary>
internal static class JsonNodeBuilder
{
    /// <summary>Deeper than any value the parsers or the expression nesting bound can produce: a guard against stack exhaustion.</summary>
    private const int MaxDepth = 256;

    public static JsonNode? ToNode(object? value, EvaluationState state) => Build(value, state, 0);

    /// <summary>Compact JSON as Jackson writes it (no escaping of non-ASCII characters), bounded by <c>MaxResultLength</c>.</summary>
    public static string ToJsonText(object? value, EvaluationState state)
    {
        var text = ToNode(value, state)?.ToJsonString(MizzenJson.Options) ?? "null";
        state.CheckLength((long)text.Length);
        return text;
    }

    private static JsonNode? Build(object? value, EvaluationState state, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ExpressionLimitExceededException($"value is nested more than {MaxDepth} levels deep and cannot be turned into JSON");
        }

        if (value is null)
        {
            return null;
        }

        state.Charge(MemoryCost.Node);
        return value switch
        {
            string s => String(s, state),
            bool b => JsonValue.Create(b),
            int i => JsonValue.Create(i),
            long l => JsonValue.Create(l),
            double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(JavaText.ToJavaString(d)),
            float f => float.IsFinite(f) ? JsonValue.Create(f) : JsonValue.Create(JavaText.ToJavaString(f)),
            JsonNode node => Copy(node, state, depth),
            ValueList list => Array(list, state, depth),
            ValueMap map => Object(map, state, depth),
            MapEntry entry => new JsonObject { [entry.Key] = Build(entry.Value, state, depth + 1) },
            DoNotEvalValue wrapped => Build(wrapped.Value, state, depth),
            StageView stage => Copy(stage.ToJson(), state, depth),
            ExecutionView execution => Copy(execution.Json, state, depth),
            RootView root => Object(root.ToMap(), state, depth),
            JavaDate date => JsonValue.Create(date.EpochMillis),
            _ => String(JavaText.ToJavaString(value, state), state),
        };
    }

    private static JsonValue String(string text, EvaluationState state)
    {
        state.Charge(MemoryCost.String(text.Length));
        return JsonValue.Create(text);
    }

    private static JsonArray Array(ValueList list, EvaluationState state, int depth)
    {
        var array = new JsonArray();
        foreach (var item in list)
        {
            array.Add(Build(item, state, depth + 1));
        }

        return array;
    }

    private static JsonObject Object(ValueMap map, EvaluationState state, int depth)
    {
        var result = new JsonObject();
        foreach (var (key, item) in map)
        {
            state.Charge(MemoryCost.String(key.Length));
            result[key] = Build(item, state, depth + 1);
        }

        return result;
    }

    /// <summary>A node-by-node copy of JSON from the context (what DeepClone does, but charged as it goes).</summary>
    private static JsonNode Copy(JsonNode node, EvaluationState state, int depth)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    state.Charge(MemoryCost.String(key.Length));
                    copy[key] = child is null ? null : Build(child, state, depth + 1);
                }

                return copy;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var child in array)
                {
                    items.Add(child is null ? null : Build(child, state, depth + 1));
                }

                return items;
            default:
                if (node.GetValueKind() == System.Text.Json.JsonValueKind.String)
                {
                    state.Charge(MemoryCost.String(node.GetValue<string>().Length));
                }

                return node.DeepClone();
        }
    }
}

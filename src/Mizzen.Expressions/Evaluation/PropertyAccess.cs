using System.Text.Json.Nodes;
using Mizzen.Expressions.Methods;
using Mizzen.Expressions.Types;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Evaluation;

/// <summary>
/// <c>.name</c> and <c>[key]</c>. Maps: a missing key is null when unknown keys are allowed, else an error.
/// Stages and executions: their known members. Other objects: allow-listed getters only (<c>x.year</c> → <c>getYear()</c>).
/// </summary>
internal static class PropertyAccess
{
    public static object? Read(object? target, string name, EvaluationState state, string pathPrefix)
    {
        switch (target)
        {
            case null when state.LastMissingName is { } missing && missing.Path == pathPrefix:
                // The null is a name that does not exist (a typo such as 'paramters.env'): say which, and what is there instead.
                var nearest = missing.Suggestions();
                var didYouMean = nearest.Count > 0 ? $"; did you mean '{string.Join("' or '", nearest)}'?" : "";
                throw new ExpressionException($"EL1007E: Property or field '{name}' cannot be found on null: '{missing.Path}' does not exist{didYouMean}")
                {
                    Suggestions = nearest,
                };
            case null:
                throw new ExpressionException($"EL1007E: Property or field '{name}' cannot be found on null");
            case RootView root:
                if (root.TryGet(name, out var rootValue))
                {
                    return rootValue;
                }

                return Missing(name, pathPrefix, root.Keys(), state, "java.util.HashMap");
            case JsonObject or ValueMap:
                if (ValueCollections.TryGet(target, name, out var value))
                {
                    return value;
                }

                return Missing(name, pathPrefix, ValueCollections.Keys(target).ToList(), state, "java.util.LinkedHashMap");
            case StageView stage when stage.TryGet(name, out var member):
                return member;
            case ExecutionView execution when execution.TryGet(name, out var member):
                return member;
            case ValueList or JsonArray when name == "length" || name == "size":
                return ValueCollections.Count(target);
            case DoNotEvalValue wrapped:
                return Read(wrapped.Value, name, state, pathPrefix);
            case MapEntry entry when name is "key" or "value":
                return name == "key" ? entry.Key : entry.Value;
            case AllowedType type:
                return type.ReadStatic(name);
        }

        if (MethodDispatch.TryInvokeGetter(target, name, state, out var getterValue))
        {
            return getterValue;
        }

        var hint = target is StageView ? " (a stage has: " + string.Join(", ", StageView.MemberNames) + ")" : "";
        throw new ExpressionException(
            $"EL1008E: Property or field '{name}' cannot be found on object of type '{JavaTypeNames.Of(target)}' - maybe not public or not valid?{hint}");
    }

    private static object? Missing(string name, string pathPrefix, IReadOnlyCollection<string> available, EvaluationState state, string typeName)
    {
        var missing = new MissingName(pathPrefix, name, available);
        state.LastMissingName = missing;
        if (state.AllowUnknownKeys)
        {
            return null;
        }

        var suggestions = missing.Suggestions();
        var hint = suggestions.Count > 0 ? $"; did you mean '{string.Join("' or '", suggestions)}'?" : "";
        throw new ExpressionException(
            $"EL1008E: Property or field '{name}' cannot be found on object of type '{typeName}' - maybe not public or not valid?{hint}")
        {
            Suggestions = suggestions,
        };
    }

    public static object? Index(object? target, object? key, EvaluationState state)
    {
        switch (target)
        {
            case null:
                throw new ExpressionException("EL1012E: Cannot index into a null value");
            case JsonArray or ValueList:
                var position = ToIndex(key);
                var count = ValueCollections.Count(target);
                if (position < 0 || position >= count)
                {
                    throw new ExpressionException($"EL1025E: The collection has '{count}' elements, index '{position}' is invalid");
                }

                return ValueCollections.At(target, position);
            case JsonObject or ValueMap:
                var text = JavaText.ToJavaString(key);
                if (ValueCollections.TryGet(target, text, out var value))
                {
                    return value;
                }

                state.LastMissingName = new MissingName("", text, ValueCollections.Keys(target).ToList());
                return null;
            case string s:
                var at = ToIndex(key);
                if (at < 0 || at >= s.Length)
                {
                    throw new ExpressionException($"EL1026E: The string has '{s.Length}' characters, index '{at}' is invalid");
                }

                return s[at].ToString();
            case RootView root:
                var rootKey = JavaText.ToJavaString(key);
                return root.TryGet(rootKey, out var rootValue) ? rootValue : Read(root, rootKey, state, "");
            default:
                return Read(target, JavaText.ToJavaString(key), state, "");
        }
    }

    private static int ToIndex(object? key) => key switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        string s when int.TryParse(s, out var parsed) => parsed,
        _ => throw new ExpressionException($"EL1028E: Cannot index into a list with '{JavaText.ToJavaString(key)}'; an integer index is needed"),
    };
}

using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Methods;

/// <summary>The <c>java.util.Map</c> methods pipelines call (read-only).</summary>
internal static class MapMethods
{
    public static bool TryInvoke(object map, string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("size", 0) => ValueCollections.MapCount(map),
            ("isEmpty", 0) => JsonValues.Box(ValueCollections.MapCount(map) == 0),
            ("get", 1) => ValueCollections.TryGet(map, JavaText.ToJavaString(args[0]), out var value) && value is not null ? value : NullResult.Instance,
            ("getOrDefault", 2) => ValueCollections.TryGet(map, JavaText.ToJavaString(args[0]), out var value) ? value ?? NullResult.Instance : args[1] ?? NullResult.Instance,
            ("containsKey", 1) => JsonValues.Box(ValueCollections.TryGet(map, JavaText.ToJavaString(args[0]), out _)),
            ("containsValue", 1) => JsonValues.Box(ValueCollections.Entries(map).Any(e => ValueComparison.AreEqual(e.Value, args[0]))),
            ("keySet", 0) => state.ChargeCollection(new ValueList(ValueCollections.Keys(map).Select(k => (object?)k)), ValueCollections.MapCount(map)),
            ("values", 0) => state.ChargeCollection(new ValueList(ValueCollections.Entries(map).Select(e => e.Value)), ValueCollections.MapCount(map)),
            ("entrySet", 0) => state.ChargeCollection(new ValueList(ValueCollections.Entries(map)), ValueCollections.MapCount(map)),
            _ => null,
        };
        return result is not null;
    }
}

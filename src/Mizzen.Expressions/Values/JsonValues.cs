using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Types;

namespace Mizzen.Expressions.Values;

/// <summary>Conversion between JSON nodes and the values expressions compute with.</summary>
internal static class JsonValues
{
    public static readonly object True = true;
    public static readonly object False = false;

    public static object Box(bool value) => value ? True : False;

    /// <summary>Objects and arrays are used as they are (read-only views); scalars become string, bool, int, long or double.</summary>
    public static object? FromNode(JsonNode? node) => node switch
    {
        null => null,
        JsonObject or JsonArray => node,
        JsonValue value => FromValue(value),
        _ => null,
    };

    private static object? FromValue(JsonValue value)
    {
        if (value.TryGetValue<string>(out var text))
        {
            return text;
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.True:
                return True;
            case JsonValueKind.False:
                return False;
            case JsonValueKind.Number:
                return FromNumber(value);
            case JsonValueKind.Null:
                return null;
            default:
                return value.ToJsonString();
        }
    }

    private static object FromNumber(JsonValue value)
    {
        if (value.TryGetValue<int>(out var i))
        {
            return i;
        }

        if (value.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (value.TryGetValue<float>(out var f) && !value.TryGetValue<double>(out _))
        {
            return f;
        }

        if (value.TryGetValue<double>(out var d))
        {
            return d;
        }

        var raw = value.ToJsonString();
        if (long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out l))
        {
            return l >= int.MinValue && l <= int.MaxValue ? (object)(int)l : l;
        }

        return double.Parse(raw, CultureInfo.InvariantCulture);
    }

    /// <summary>An independent JSON node for a computed value (JSON taken from the context is cloned).</summary>
    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(JavaText.ToJavaString(d)),
        float f => float.IsFinite(f) ? JsonValue.Create(f) : JsonValue.Create(JavaText.ToJavaString(f)),
        JsonNode node => node.DeepClone(),
        ValueList list => new JsonArray(list.Select(ToNode).ToArray()),
        ValueMap map => ToObject(map),
        MapEntry entry => new JsonObject { [entry.Key] = ToNode(entry.Value) },
        DoNotEvalValue wrapped => ToNode(wrapped.Value),
        StageView stage => stage.ToJson(),
        ExecutionView execution => execution.Json.DeepClone(),
        RootView root => ToObject(root.ToMap()),
        JavaDate date => JsonValue.Create(date.EpochMillis),
        _ => JsonValue.Create(JavaText.ToJavaString(value)),
    };

    private static JsonObject ToObject(ValueMap map)
    {
        var result = new JsonObject();
        foreach (var (key, item) in map)
        {
            result[key] = ToNode(item);
        }

        return result;
    }

    /// <summary>Compact JSON as Jackson writes it (no escaping of non-ASCII characters).</summary>
    public static string ToJsonText(object? value) =>
        ToNode(value)?.ToJsonString(MizzenJson.Options) ?? "null";
}

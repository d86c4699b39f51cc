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
}

using System.Text.Json.Nodes;

namespace Mizzen.Expressions.Values;

/// <summary>Uniform read access to the list and map shapes an expression can see (JSON from the context, or built by the expression).</summary>
internal static class ValueCollections
{
    public static bool IsList(object? value) => value is JsonArray or ValueList;

    public static bool IsMap(object? value) => value is JsonObject or ValueMap;

    public static int Count(object list) => list switch
    {
        JsonArray a => a.Count,
        ValueList l => l.Count,
        _ => throw new InvalidOperationException("not a list"),
    };

    public static object? At(object list, int index) => list switch
    {
        JsonArray a => JsonValues.FromNode(a[index]),
        ValueList l => l[index],
        _ => throw new InvalidOperationException("not a list"),
    };

    public static IEnumerable<object?> Items(object list)
    {
        switch (list)
        {
            case JsonArray a:
                foreach (var node in a)
                {
                    yield return JsonValues.FromNode(node);
                }

                break;
            case ValueList l:
                foreach (var item in l)
                {
                    yield return item;
                }

                break;
        }
    }

    public static bool TryGet(object map, string key, out object? value)
    {
        switch (map)
        {
            case JsonObject o when o.TryGetPropertyValue(key, out var node):
                value = JsonValues.FromNode(node);
                return true;
            case ValueMap m:
                return m.TryGetValue(key, out value);
            default:
                value = null;
                return false;
        }
    }

    public static int MapCount(object map) => map switch
    {
        JsonObject o => o.Count,
        ValueMap m => m.Count,
        _ => 0,
    };

    public static IEnumerable<string> Keys(object map) => map switch
    {
        JsonObject o => o.Select(p => p.Key),
        ValueMap m => m.Keys,
        _ => [],
    };

    public static IEnumerable<MapEntry> Entries(object map) => map switch
    {
        JsonObject o => o.Select(p => new MapEntry(p.Key, JsonValues.FromNode(p.Value))),
        ValueMap m => m.Select(p => new MapEntry(p.Key, p.Value)),
        _ => [],
    };
}

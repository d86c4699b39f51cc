using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Mizzen.Orchestration.Stages.Webhook;

/// <summary>
/// The small part of JsonPath that webhook stages use: <c>$.a.b</c>, <c>$.a[0].b</c>, <c>$['a']</c>, <c>$["a"]</c>,
/// <c>$[-1]</c>, and the same without the leading <c>$</c> (<c>a.b</c>, as Jayway accepts). Wildcards, filters, slices
/// and recursive descent are rejected with a <see cref="FormatException"/>.
/// Hand-written because no JsonPath library is in this machine's package mirror.
/// </summary>
public static class JsonPathReader
{
    /// <summary>The node at <paramref name="path"/>, or null when any step is missing.</summary>
    public static JsonNode? Read(JsonNode? root, string path)
    {
        var current = root;
        foreach (var step in Parse(path))
        {
            current = step switch
            {
                string name => current is JsonObject obj ? obj[name] : null,
                int index => current is JsonArray array ? At(array, index) : null,
                _ => null,
            };
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>The steps of <paramref name="path"/>: property names (string) and list indexes (int).</summary>
    public static IReadOnlyList<object> Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = path.Trim();
        var steps = new List<object>();
        var i = 0;
        if (text.StartsWith('$'))
        {
            i = 1;
        }
        else if (text.Length > 0 && text[0] != '[')
        {
            i = ReadName(text, 0, steps, path);
        }

        while (i < text.Length)
        {
            i = text[i] switch
            {
                '.' when i + 1 < text.Length && text[i + 1] == '.' => throw Unsupported(path, "recursive descent '..'"),
                '.' => ReadName(text, i + 1, steps, path),
                '[' => ReadBracket(text, i + 1, steps, path),
                _ => throw Unsupported(path, $"unexpected '{text[i]}' at position {i + 1}"),
            };
        }

        return steps;
    }

    private static JsonNode? At(JsonArray array, int index)
    {
        var position = index < 0 ? array.Count + index : index;
        return position >= 0 && position < array.Count ? array[position] : null;
    }

    private static int ReadName(string text, int start, List<object> steps, string path)
    {
        var end = start;
        while (end < text.Length && text[end] is not ('.' or '['))
        {
            end++;
        }

        var name = text[start..end];
        if (name.Length == 0 || name == "*")
        {
            throw Unsupported(path, name.Length == 0 ? $"empty name at position {start + 1}" : "wildcard '*'");
        }

        steps.Add(name);
        return end;
    }

    private static int ReadBracket(string text, int start, List<object> steps, string path)
    {
        if (start < text.Length && text[start] is '\'' or '"')
        {
            var quote = text[start];
            var name = new StringBuilder();
            var i = start + 1;
            for (; i < text.Length && text[i] != quote; i++)
            {
                name.Append(text[i] == '\\' && i + 1 < text.Length ? text[++i] : text[i]);
            }

            if (i + 1 >= text.Length || text[i + 1] != ']')
            {
                throw Unsupported(path, $"unterminated ['name'] at position {start}");
            }

            steps.Add(name.ToString());
            return i + 2;
        }

        var close = text.IndexOf(']', start);
        if (close < 0)
        {
            throw Unsupported(path, $"missing ']' after position {start}");
        }

        var inside = text[start..close].Trim();
        if (!int.TryParse(inside, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            throw Unsupported(path, $"'[{inside}]' (only [n], ['name'] and [\"name\"] are supported)");
        }

        steps.Add(index);
        return close + 1;
    }

    private static FormatException Unsupported(string path, string what) =>
        new($"JsonPath '{path}' is not supported: {what}. Supported: $.a.b, $.a[0].b, $['a']");
}

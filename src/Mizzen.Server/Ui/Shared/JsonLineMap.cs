using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mizzen.Server.Ui.Shared;

/// <summary>
/// Where in a JSON text each value starts (1-based line), keyed by the validator's paths (<c>stages[1].waitTime</c>), so a problem
/// the validator names by path can be shown at its line. A location that is already "line L, column C" (broken JSON) is read as such.
/// </summary>
public static partial class JsonLineMap
{
    /// <summary>The line of <paramref name="location"/> in <paramref name="text"/>, or of its nearest parent that exists; null when unknown.</summary>
    public static int? LineOf(string text, string location)
    {
        if (LinePrefix().Match(location) is { Success: true } m)
        {
            return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        var lines = Build(text);
        for (var path = location; ; path = Parent(path))
        {
            if (lines.TryGetValue(path, out var line))
            {
                return line;
            }

            if (path.Length == 0)
            {
                return null;
            }
        }
    }

    /// <summary>Every value's path and line; empty when the text is not JSON.</summary>
    public static IReadOnlyDictionary<string, int> Build(string text)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var utf8 = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var stack = new Stack<(bool IsArray, string Path, int Index)>();
        string? property = null;
        var line = 1;
        var counted = 0;
        try
        {
            while (reader.Read())
            {
                var at = (int)reader.TokenStartIndex;
                for (; counted < at; counted++)
                {
                    if (utf8[counted] == (byte)'\n')
                    {
                        line++;
                    }
                }

                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    property = reader.GetString();
                    continue;
                }

                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    stack.Pop();
                    continue;
                }

                var path = Here(stack, property);
                map.TryAdd(path, line);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    stack.Push((reader.TokenType == JsonTokenType.StartArray, path, 0));
                }
            }
        }
        catch (JsonException)
        {
            // Broken JSON: what was read so far is still right.
        }

        return map;
    }

    private static string Here(Stack<(bool IsArray, string Path, int Index)> stack, string? property)
    {
        if (stack.Count == 0)
        {
            return "";
        }

        var (isArray, parent, index) = stack.Pop();
        if (isArray)
        {
            stack.Push((true, parent, index + 1));
            return string.Create(CultureInfo.InvariantCulture, $"{parent}[{index}]");
        }

        stack.Push((false, parent, index));
        return parent.Length == 0 ? property ?? "" : $"{parent}.{property}";
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }

    [GeneratedRegex(@"^line (\d+)")]
    private static partial Regex LinePrefix();
}

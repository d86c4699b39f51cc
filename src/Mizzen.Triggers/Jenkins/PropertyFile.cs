using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Mizzen.Triggers.Jenkins;

/// <summary>
/// A build's property file as igor reads it into <c>trigger.properties</c>: by its name, <c>.yml</c>/<c>.yaml</c> as YAML,
/// <c>.json</c> as JSON (both must hold a map), anything else in Java's <c>.properties</c> format (<c>key=value</c>, <c>key: value</c>
/// or <c>key value</c>; <c>#</c> and <c>!</c> comments; a trailing backslash continues the line; <c>\t \n \uXXXX</c> escapes).
/// </summary>
public static class PropertyFile
{
    private const int MaxValues = 100_000;

    /// <summary>Deepest nesting of maps and lists a YAML property file may have (System.Text.Json's default for the JSON ones).</summary>
    private const int MaxDepth = 64;

    /// <exception cref="FormatException">The file is not what its name says, with the file named.</exception>
    public static JsonObject Parse(string fileName, string text)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        try
        {
            return extension switch
            {
                ".json" => JsonNode.Parse(text) as JsonObject ?? throw new FormatException($"property file '{fileName}' is JSON but not an object"),
                ".yml" or ".yaml" => Yaml(fileName, text),
                _ => Properties(text),
            };
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FormatException($"property file '{fileName}' is not valid JSON: {e.Message}", e);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException($"property file '{fileName}' is not valid YAML: {e.Message}", e);
        }
    }

    public static JsonObject Properties(string text)
    {
        var result = new JsonObject();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', '\r');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimStart(' ', '\t', '\f');
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            while (EndsWithContinuation(line) && i + 1 < lines.Length)
            {
                line = line[..^1] + lines[++i].TrimStart(' ', '\t', '\f');
            }

            var separator = Separator(line);
            var key = Unescape(line[..separator].TrimEnd(' ', '\t', '\f'));
            var rest = separator < line.Length ? line[separator..].TrimStart(' ', '\t', '\f') : "";
            if (rest.Length > 0 && rest[0] is '=' or ':')
            {
                rest = rest[1..].TrimStart(' ', '\t', '\f');
            }

            result[key] = Unescape(rest);
        }

        return result;
    }

    private static bool EndsWithContinuation(string line)
    {
        var slashes = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            slashes++;
        }

        return slashes % 2 == 1;
    }

    private static int Separator(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\')
            {
                i++;
            }
            else if (line[i] is '=' or ':' or ' ' or '\t' or '\f')
            {
                return i;
            }
        }

        return line.Length;
    }

    private static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                result.Append(text[i]);
                continue;
            }

            var c = text[++i];
            if (c == 'u' && i + 4 < text.Length && int.TryParse(text.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                result.Append((char)code);
                i += 4;
                continue;
            }

            result.Append(c switch { 't' => '\t', 'n' => '\n', 'r' => '\r', 'f' => '\f', _ => c });
        }

        return result.ToString();
    }

    private static JsonObject Yaml(string fileName, string text)
    {
        CheckDepth(fileName, text);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0)
        {
            return [];
        }

        var count = 0;
        return ToJson(stream.Documents[0].RootNode, ref count) as JsonObject ?? throw new FormatException($"property file '{fileName}' is YAML but not a map");
    }

    /// <summary>
    /// The representation model is built, and read here, recursively: a file nested thousands of levels deep (a few KB of
    /// <c>[[[…</c>) would overflow the stack and end the process. YamlDotNet's parser is not recursive, so its events are counted
    /// first and such a file is refused like any other that does not parse.
    /// </summary>
    private static void CheckDepth(string fileName, string text)
    {
        var parser = new YamlDotNet.Core.Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            if (parser.Current is YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart && ++depth > MaxDepth)
            {
                throw new FormatException($"property file '{fileName}' is nested more than {MaxDepth} levels deep");
            }

            if (parser.Current is YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd)
            {
                depth--;
            }
        }
    }

    private static JsonNode? ToJson(YamlNode node, ref int count)
    {
        if (++count > MaxValues)
        {
            throw new FormatException($"the property file has more than {MaxValues} values");
        }

        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    obj[(key as YamlScalarNode)?.Value ?? key.ToString()] = ToJson(value, ref count);
                }

                return obj;
            case YamlSequenceNode list:
                var array = new JsonArray();
                foreach (var item in list.Children)
                {
                    array.Add(ToJson(item, ref count));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    /// <summary>Plain scalars that YAML's core schema reads as numbers, booleans or null keep that type; quoted ones stay strings.</summary>
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return value;
        }

        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && value.Any(char.IsDigit) => d,
            _ => value,
        };
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mizzen.Orchestration.Clouds;

/// <summary>
/// Reads a job's output for Spinnaker's property lines: <c>SPINNAKER_PROPERTY_NAME=value</c> sets <c>name</c> (lower-cased, as in
/// Kubernetes runJob), <c>SPINNAKER_CONFIG_JSON={...}</c> merges the object's top-level fields. Later lines win. Provider-neutral: the
/// local provider reads its jobs' output files with it, the Kubernetes provider a Job pod's log.
/// </summary>
public static class JobOutputParser
{
    private const string PropertyPrefix = "SPINNAKER_PROPERTY_";
    private const string ConfigPrefix = "SPINNAKER_CONFIG_JSON=";

    public static IReadOnlyDictionary<string, object?> Parse(string output) => Parse(output.Split('\n'));

    /// <summary>The properties as a JSON object, the shape stage outputs take.</summary>
    public static JsonObject ParseToJson(string output)
    {
        var json = new JsonObject();
        foreach (var (key, value) in Parse(output))
        {
            json[key] = ToNode(value);
        }

        return json;
    }

    /// <summary>Parses lines one by one (e.g. <c>File.ReadLines</c> of a job's whole output, without holding it in memory).</summary>
    public static IReadOnlyDictionary<string, object?> Parse(IEnumerable<string> lines)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.StartsWith(ConfigPrefix, StringComparison.Ordinal))
            {
                MergeJson(line[ConfigPrefix.Length..], properties);
            }
            else if (line.StartsWith(PropertyPrefix, StringComparison.Ordinal) && line.IndexOf('=', StringComparison.Ordinal) is var eq && eq > PropertyPrefix.Length)
            {
                properties[line[PropertyPrefix.Length..eq].ToLowerInvariant()] = line[(eq + 1)..];
            }
        }

        return properties;
    }

    private static void MergeJson(string json, Dictionary<string, object?> properties)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var field in document.RootElement.EnumerateObject())
            {
                properties[field.Name] = ToValue(field.Value);
            }
        }
        catch (JsonException)
        {
            // Not JSON: ignored, as Spinnaker does for malformed property lines.
        }
    }

    private static object? ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Array => element.EnumerateArray().Select(ToValue).ToList(),
        _ => element.EnumerateObject().ToDictionary(p => p.Name, p => ToValue(p.Value), StringComparer.Ordinal),
    };

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        IEnumerable<KeyValuePair<string, object?>> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, ToNode(p.Value)))),
        IEnumerable<object?> list => new JsonArray(list.Select(ToNode).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };
}

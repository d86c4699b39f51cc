using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;

namespace Mizzen.Providers.Kubernetes.Stages.RunJobManifest;

/// <summary>
/// Properties a job left in a ConfigMap: each data entry is a JSON object (merged) or a properties file (<c>key=value</c> lines,
/// <c>#</c> comments; <c>SPINNAKER_PROPERTY_*</c> and <c>SPINNAKER_CONFIG_JSON</c> lines read as in a log). Entries are read in key order.
/// </summary>
internal static class PropertyFiles
{
    public static JsonObject FromConfigMap(JsonObject configMap)
    {
        var properties = new JsonObject();
        foreach (var (_, value) in (configMap["data"] as JsonObject ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var text = value.AsString() ?? "";
            var entries = JsonObjectOrNull(text) ?? Lines(text);
            foreach (var (key, node) in entries)
            {
                properties[key] = node?.DeepClone();
            }
        }

        return properties;
    }

    public static JsonObject? JsonObjectOrNull(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonObject Lines(string text)
    {
        var properties = JobOutputParser.ParseToJson(text);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or '!' || line.StartsWith("SPINNAKER_", StringComparison.Ordinal))
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                properties[line[..eq].Trim()] = line[(eq + 1)..].Trim();
            }
        }

        return properties;
    }
}

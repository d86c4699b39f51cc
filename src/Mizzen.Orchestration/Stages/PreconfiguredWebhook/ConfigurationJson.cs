using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Mizzen.Orchestration.Stages.PreconfiguredWebhook;

/// <summary>
/// A configuration section as JSON: a section whose keys are 0, 1, 2 ... is an array, any other an object, a value a string
/// (configuration keeps no types; the webhook settings read <c>"true"</c> and <c>"200"</c> as they read true and 200).
/// </summary>
internal static class ConfigurationJson
{
    public static JsonNode? ToJson(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null ? null : JsonValue.Create(section.Value);
        }

        if (children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return new JsonArray([.. children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)).Select(ToJson)]);
        }

        var json = new JsonObject();
        foreach (var child in children)
        {
            json[child.Key] = ToJson(child);
        }

        return json;
    }
}

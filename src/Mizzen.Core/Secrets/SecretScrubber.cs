using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mizzen.Core.Secrets;

/// <summary>
/// Removes known secret values from what comes back from a call before it is kept: a server that echoes its request headers
/// (many test endpoints do) or puts the token in an error message must not get it into a stage's context.
/// </summary>
public static class SecretScrubber
{
    public static string Scrub(string text, IReadOnlyCollection<string> values)
    {
        foreach (var value in values.Where(v => v.Length >= 4).OrderByDescending(v => v.Length))
        {
            text = text.Replace(value, CredentialHeaders.Redacted, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>A copy of <paramref name="node"/> with every string (and key) scrubbed.</summary>
    public static JsonNode? Scrub(JsonNode? node, IReadOnlyCollection<string> values) => values.Count == 0 ? node?.DeepClone() : node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(Scrub(p.Key, values), Scrub(p.Value, values)))),
        JsonArray a => new JsonArray([.. a.Select(n => Scrub(n, values))]),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(Scrub(v.GetValue<string>(), values)),
        _ => node?.DeepClone(),
    };
}

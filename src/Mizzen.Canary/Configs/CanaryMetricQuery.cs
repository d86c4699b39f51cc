using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mizzen.Canary.Configs;

/// <summary>
/// A metric's <c>query</c>, polymorphic on <see cref="Type"/> (<c>prometheus</c>, <c>embedded</c>, <c>atlas</c> ...).
/// Only the discriminators are typed; each metric source reads its own fields from <see cref="Fields"/>, so
/// queries for sources Mizzen does not implement still load and round-trip.
/// </summary>
public sealed class CanaryMetricQuery
{
    public string? Type { get; set; }

    public string? ServiceType { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement> Fields { get; set; } = [];

    public string? GetString(string name)
        => Fields.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public IReadOnlyList<string> GetStringList(string name)
        => Fields.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    public IReadOnlyDictionary<string, string> GetStringMap(string name)
        => Fields.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}

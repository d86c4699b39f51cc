using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Mizzen.Core.Model;

/// <summary>A service and everything deployed for it; the unit of permissions.</summary>
public sealed class Application
{
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public string? Description { get; set; }

    /// <summary>Fiat-style permissions <c>{"READ": [roles], "WRITE": [...], "EXECUTE": [...]}</c>; enforced once authentication exists.</summary>
    public JsonObject? Permissions { get; set; }

    public long? CreateTs { get; set; }
    public long? UpdateTs { get; set; }
    public string? LastModifiedBy { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>Application names follow Spinnaker's rule: letters, digits, dash; stored lower-case.</summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Length <= 250 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}

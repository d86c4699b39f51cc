using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Orchestration.Clouds;

/// <summary>
/// A Spinnaker artifact map <c>{type, name, version, reference}</c>: what a server group runs (a <c>local/bundle</c> folder,
/// zip or tar.gz; later a docker image).
/// </summary>
public sealed record CloudArtifact(string Type, string? Name, string? Version, string Reference)
{
    public const string LocalBundleType = "local/bundle";

    /// <summary>The artifact account the artifact names (<c>artifactAccount</c>), for fetching it; null: the type's account.</summary>
    public string? Account { get; init; }

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["type"] = Type, ["reference"] = Reference };
        if (Name is not null)
        {
            json["name"] = Name;
        }

        if (Version is not null)
        {
            json["version"] = Version;
        }

        if (Account is not null)
        {
            json["artifactAccount"] = Account;
        }

        return json;
    }

    /// <summary>Reads an artifact map; null when it is not an object with a <c>reference</c>.</summary>
    public static CloudArtifact? FromJson(JsonNode? node) =>
        node is JsonObject json && json["reference"].AsString() is { Length: > 0 } reference
            ? new CloudArtifact(json["type"].AsString() ?? LocalBundleType, json["name"].AsString(), json["version"].AsString(), reference)
            {
                Account = json["artifactAccount"].AsString() is { Length: > 0 } account ? account : null,
            }
            : null;
}

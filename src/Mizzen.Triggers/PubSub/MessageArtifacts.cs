using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Triggers.PubSub;

/// <summary>
/// The artifacts a Pub/Sub message carries, by the subscription's <c>messageFormat</c>. Spinnaker turns a message into artifacts with a
/// Jinja template per format; Mizzen reads the same notification formats directly, and produces the artifacts those templates do:
/// <list type="bullet">
/// <item><c>GCR</c> (Container Registry / Artifact Registry notifications, <c>{"action":"INSERT","digest":"…@sha256:…","tag":"…:1.0"}</c>): one
/// <c>docker/image</c> for an <c>INSERT</c>: name without tag or digest, version the tag (or the digest), reference the tag (or digest).</item>
/// <item><c>GCS</c> (Cloud Storage object notifications: the object resource as data, <c>bucketId</c>/<c>objectId</c> attributes): one
/// <c>gcs/object</c> named <c>gs://bucket/object</c>, version the object's generation, reference <c>gs://bucket/object#generation</c> (kork's
/// form, which pins that generation).</item>
/// <item><c>GCB</c> (Cloud Build notifications: the build resource as data): a <c>docker/image</c> per built image in <c>results.images</c>.</item>
/// <item><c>CUSTOM</c>: the payload's <c>artifacts</c> list (Spinnaker artifacts, as a webhook posts them); Jinja templates are not run.</item>
/// </list>
/// </summary>
public static class MessageArtifacts
{
    public static IReadOnlyList<JsonObject> Read(string format, JsonObject payload, JsonObject attributes) => format.ToUpperInvariant() switch
    {
        "GCR" => Gcr(payload),
        "GCS" => Gcs(payload, attributes),
        "GCB" => [.. (payload["results"]?["images"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(i => i["name"].AsString() is { Length: > 0 } name ? DockerImage(name, i["digest"].AsString()) : null).OfType<JsonObject>()],
        _ => [.. (payload["artifacts"] as JsonArray ?? []).OfType<JsonObject>().Select(a => (JsonObject)a.DeepClone())],
    };

    private static IReadOnlyList<JsonObject> Gcr(JsonObject payload)
    {
        if (!string.Equals(payload["action"].AsString(), "INSERT", StringComparison.OrdinalIgnoreCase))
        {
            return []; // a DELETE: nothing new to deploy
        }

        var tag = payload["tag"].AsString();
        var digest = payload["digest"].AsString();
        return tag is { Length: > 0 } || digest is { Length: > 0 } ? [DockerImage(tag is { Length: > 0 } ? tag : digest!, digest)] : [];
    }

    /// <summary>
    /// A <c>docker/image</c> from a full image reference: <c>gcr.io/p/img:1.0</c> (name <c>gcr.io/p/img</c>, version <c>1.0</c>) or
    /// <c>gcr.io/p/img@sha256:…</c> (version the digest). A registry port (<c>host:5000/img</c>) is not a tag.
    /// </summary>
    public static JsonObject DockerImage(string reference, string? digest = null)
    {
        string name, version;
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var colon = reference.LastIndexOf(':');
        if (at >= 0)
        {
            (name, version) = (reference[..at], reference[(at + 1)..]);
        }
        else if (colon > reference.LastIndexOf('/'))
        {
            (name, version) = (reference[..colon], reference[(colon + 1)..]);
        }
        else
        {
            (name, version) = (reference, "latest");
        }

        var artifact = new JsonObject { ["type"] = "docker/image", ["name"] = name, ["version"] = version, ["reference"] = reference };
        if (digest is { Length: > 0 } && at < 0)
        {
            artifact["metadata"] = new JsonObject { ["digest"] = digest.Contains('@', StringComparison.Ordinal) ? digest[(digest.IndexOf('@', StringComparison.Ordinal) + 1)..] : digest };
        }

        return artifact;
    }

    private static IReadOnlyList<JsonObject> Gcs(JsonObject payload, JsonObject attributes)
    {
        var bucket = payload["bucket"].AsString() ?? attributes["bucketId"].AsString();
        var name = payload["name"].AsString() ?? attributes["objectId"].AsString();
        if (bucket is not { Length: > 0 } || name is not { Length: > 0 })
        {
            return [];
        }

        var location = $"gs://{bucket}/{name}";
        var generation = payload["generation"].AsString() ?? attributes["objectGeneration"].AsString();
        return generation is { Length: > 0 }
            ? [new JsonObject { ["type"] = "gcs/object", ["name"] = location, ["version"] = generation, ["reference"] = $"{location}#{generation}" }]
            : [new JsonObject { ["type"] = "gcs/object", ["name"] = location, ["reference"] = location }];
    }
}

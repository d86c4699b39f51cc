using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mizzen.Providers.Kubernetes.Manifests;

/// <summary>
/// Versions of versioned kinds (ConfigMap, Secret, ReplicaSet, Pod by default): <c>name-v000</c>, <c>name-v001</c> … The next version is
/// one more than the highest deployed; an unchanged manifest (same <see cref="KubernetesAnnotations.ManifestHash"/>) reuses its
/// version, so redeploying the same ConfigMap creates nothing new. Whether a manifest is versioned: its
/// <c>strategy.spinnaker.io/versioned</c> annotation, else the stage's <c>versioned</c>, else the kind's default.
/// </summary>
public static partial class ResourceVersioner
{
    public static bool IsVersioned(KubernetesManifest manifest, KubernetesKind kind, bool? stageVersioned) =>
        bool.TryParse(manifest.Annotation(KubernetesAnnotations.Versioned), out var annotated) ? annotated : stageVersioned ?? kind.Versioned;

    /// <summary>clouddriver's spelling of a version: <c>v000</c> … <c>v999</c>, <c>v1000</c>.</summary>
    public static string Format(int version) => "v" + version.ToString("000", CultureInfo.InvariantCulture);

    /// <summary>The version in a name such as <c>frontend-v003</c>, or null.</summary>
    public static int? ParseVersion(string name, string baseName)
    {
        var match = VersionSuffix().Match(name);
        return match.Success && name[..match.Index] == baseName ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>
    /// The version to deploy <paramref name="hash"/> as, given the objects of the same kind and namespace (deployed versions are those
    /// named <c>baseName-vNNN</c>): the version holding the same hash, else the highest plus one, else 0.
    /// </summary>
    public static (int Version, bool Reused) Next(string baseName, string hash, IEnumerable<JsonObject> existing)
    {
        var max = -1;
        foreach (var obj in existing)
        {
            var m = new KubernetesManifest(obj);
            if (ParseVersion(m.Name, baseName) is not { } version)
            {
                continue;
            }

            if (m.Annotation(KubernetesAnnotations.ManifestHash) == hash)
            {
                return (version, true);
            }

            max = Math.Max(max, version);
        }

        return (max + 1, false);
    }

    /// <summary>SHA-256 of the manifest without <c>metadata</c> and <c>status</c> (what a deploy changes), plus its labels and non-Spinnaker annotations.</summary>
    public static string Hash(KubernetesManifest manifest)
    {
        var copy = (JsonObject)manifest.Json.DeepClone();
        copy.Remove("status");
        var metadata = copy["metadata"] as JsonObject;
        copy.Remove("metadata");
        var identity = new JsonObject
        {
            ["labels"] = metadata?["labels"]?.DeepClone(),
            ["annotations"] = new JsonObject((metadata?["annotations"] as JsonObject ?? [])
                .Where(a => !a.Key.Contains("spinnaker.io/", StringComparison.Ordinal) && a.Key != KubernetesAnnotations.ManifestHash)
                .OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => KeyValuePair.Create(a.Key, a.Value?.DeepClone()))),
            ["body"] = Canonical(copy),
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(identity)!.ToJsonString())));
    }

    /// <summary>Versions to delete so that <paramref name="keep"/> remain: the oldest by version number.</summary>
    public static IReadOnlyList<JsonObject> Surplus(string baseName, IEnumerable<JsonObject> existing, int keep) =>
        [.. existing
            .Select(o => (Object: o, Version: ParseVersion(new KubernetesManifest(o).Name, baseName)))
            .Where(v => v.Version is not null)
            .OrderByDescending(v => v.Version)
            .Skip(Math.Max(keep, 1))
            .Select(v => v.Object)];

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Canonical).ToArray()),
        _ => node?.DeepClone(),
    };

    [GeneratedRegex(@"-v(\d{3,})$")]
    private static partial Regex VersionSuffix();
}

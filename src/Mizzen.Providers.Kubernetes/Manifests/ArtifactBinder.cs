using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Providers.Kubernetes.Manifests;

/// <summary>
/// clouddriver's artifact replacers: a field of a manifest that names an artifact (a container image, a ConfigMap or Secret reference,
/// an HPA's target) is rewritten to the artifact's <c>reference</c> — a pinned image digest, a versioned ConfigMap name. Images
/// match by name with the tag or digest removed (<c>gcr.io/x/nginx:1.0</c> matches artifact <c>gcr.io/x/nginx</c>); the others
/// match the name exactly. A <c>kubernetes/*</c> artifact is used only in its own namespace (<c>location</c>) and account.
/// </summary>
public static class ArtifactBinder
{
    public const string DockerImage = "docker/image";
    public const string ConfigMap = "kubernetes/configMap";
    public const string Secret = "kubernetes/secret";

    /// <summary>Rewrites what the artifacts name in <paramref name="manifest"/>; returns the artifacts that bound something.</summary>
    public static IReadOnlyList<JsonObject> Bind(KubernetesManifest manifest, IEnumerable<JsonObject> artifacts, string account)
    {
        var bound = new List<JsonObject>();
        foreach (var artifact in artifacts.Where(a => Applies(a, manifest, account)))
        {
            var type = artifact["type"].AsString();
            var name = artifact["name"].AsString();
            var reference = artifact["reference"].AsString();
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(reference))
            {
                continue;
            }

            var replaced = type switch
            {
                DockerImage => ReplaceImages(manifest, name, reference),
                ConfigMap when manifest.Kind != "Pod" => ReplaceAll(ConfigMapFields(manifest), name, reference),
                Secret when manifest.Kind != "Pod" => ReplaceAll(SecretFields(manifest), name, reference),
                "kubernetes/deployment" or "kubernetes/replicaSet" when manifest.Kind == "HorizontalPodAutoscaler" => ReplaceScaleTarget(manifest, type, name, reference),
                _ => false,
            };
            if (replaced)
            {
                bound.Add(artifact);
            }
        }

        return bound;
    }

    /// <summary>An image reference without its digest (<c>@…</c>) or tag (<c>:…</c> after the last <c>/</c>, so a registry port stays).</summary>
    public static string ImageName(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return image[..at];
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? image[..colon] : image;
    }

    /// <summary>The identity clouddriver de-duplicates candidates by: <c>type-name-location</c>.</summary>
    public static string Key(JsonObject artifact) => $"{artifact["type"].AsString()}-{artifact["name"].AsString()}-{artifact["location"].AsString()}";

    /// <summary>Images the manifest uses (for <c>findArtifactsFromResource</c> and a server group's build info).</summary>
    public static IEnumerable<string> Images(KubernetesManifest manifest) =>
        manifest.Containers.Select(c => c["image"].AsString()).OfType<string>();

    private static bool Applies(JsonObject artifact, KubernetesManifest manifest, string account)
    {
        var type = artifact["type"].AsString() ?? "";
        if (!type.StartsWith("kubernetes/", StringComparison.Ordinal))
        {
            return true;
        }

        var location = artifact["location"].AsString();
        var artifactAccount = artifact["metadata"]?["account"].AsString();
        return (string.IsNullOrEmpty(location) || location == manifest.Namespace)
               && (string.IsNullOrEmpty(artifactAccount) || artifactAccount == account);
    }

    private static bool ReplaceImages(KubernetesManifest manifest, string name, string reference)
    {
        var replaced = false;
        foreach (var container in manifest.Containers)
        {
            if (container["image"].AsString() is { } image && ImageName(image) == name)
            {
                container["image"] = reference;
                replaced = true;
            }
        }

        return replaced;
    }

    private static bool ReplaceAll(IEnumerable<(JsonObject Holder, string Field)> fields, string name, string reference)
    {
        var replaced = false;
        foreach (var (holder, field) in fields)
        {
            if (holder[field].AsString() == name)
            {
                holder[field] = reference;
                replaced = true;
            }
        }

        return replaced;
    }

    private static bool ReplaceScaleTarget(KubernetesManifest manifest, string type, string name, string reference)
    {
        var target = manifest.Spec?["scaleTargetRef"] as JsonObject;
        var kind = type["kubernetes/".Length..];
        if (target is null || !string.Equals(target["kind"].AsString(), kind, StringComparison.OrdinalIgnoreCase) || target["name"].AsString() != name)
        {
            return false;
        }

        target["name"] = reference;
        return true;
    }

    private static IEnumerable<(JsonObject, string)> ConfigMapFields(KubernetesManifest manifest)
    {
        foreach (var volume in Volumes(manifest))
        {
            if (volume["configMap"] is JsonObject cm)
            {
                yield return (cm, "name");
            }

            foreach (var source in Projected(volume))
            {
                if (source["configMap"] is JsonObject projected)
                {
                    yield return (projected, "name");
                }
            }
        }

        foreach (var container in manifest.Containers)
        {
            foreach (var from in (container["envFrom"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (from["configMapRef"] is JsonObject reference)
                {
                    yield return (reference, "name");
                }
            }

            foreach (var env in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (env["valueFrom"]?["configMapKeyRef"] is JsonObject key)
                {
                    yield return (key, "name");
                }
            }
        }
    }

    private static IEnumerable<(JsonObject, string)> SecretFields(KubernetesManifest manifest)
    {
        foreach (var volume in Volumes(manifest))
        {
            if (volume["secret"] is JsonObject secret)
            {
                yield return (secret, "secretName");
            }

            foreach (var source in Projected(volume))
            {
                if (source["secret"] is JsonObject projected)
                {
                    yield return (projected, "name");
                }
            }
        }

        foreach (var container in manifest.Containers)
        {
            foreach (var from in (container["envFrom"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (from["secretRef"] is JsonObject reference)
                {
                    yield return (reference, "name");
                }
            }

            foreach (var env in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (env["valueFrom"]?["secretKeyRef"] is JsonObject key)
                {
                    yield return (key, "name");
                }
            }
        }
    }

    private static IEnumerable<JsonObject> Volumes(KubernetesManifest manifest) => (manifest.PodSpec?["volumes"] as JsonArray ?? []).OfType<JsonObject>();

    private static IEnumerable<JsonObject> Projected(JsonObject volume) => (volume["projected"]?["sources"] as JsonArray ?? []).OfType<JsonObject>();
}

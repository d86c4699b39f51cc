using System.Globalization;
using System.Text.Json.Nodes;

namespace Mizzen.Providers.Kubernetes.Manifests;

/// <summary>Spinnaker's moniker on a Kubernetes object: application, cluster (<c>"kind name"</c> by default), stack, detail, sequence.</summary>
public sealed record KubernetesMoniker(string App, string Cluster, string? Stack = null, string? Detail = null, int? Sequence = null)
{
    /// <summary>The moniker an object carries (annotations, then Frigga's parse of the name for the application).</summary>
    public static KubernetesMoniker Of(KubernetesManifest manifest)
    {
        var app = manifest.Annotation(KubernetesAnnotations.Application) ?? manifest.Name.Split('-')[0];
        var cluster = manifest.Annotation(KubernetesAnnotations.Cluster) ?? $"{manifest.SpinnakerKindName} {VersionlessName(manifest.Name)}";
        int? sequence = int.TryParse(manifest.Annotation(KubernetesAnnotations.Sequence) ?? manifest.Label(KubernetesAnnotations.Sequence), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s
            : int.TryParse(manifest.Annotation(KubernetesAnnotations.DeploymentRevision), NumberStyles.Integer, CultureInfo.InvariantCulture, out var revision) ? revision : null;
        return new KubernetesMoniker(app, cluster, manifest.Annotation(KubernetesAnnotations.Stack), manifest.Annotation(KubernetesAnnotations.Detail), sequence);
    }

    /// <summary><c>frontend-v003</c> → <c>frontend</c>.</summary>
    public static string VersionlessName(string name)
    {
        var dash = name.LastIndexOf("-v", StringComparison.Ordinal);
        return dash > 0 && name.Length - dash - 2 >= 3 && name[(dash + 2)..].All(char.IsAsciiDigit) ? name[..dash] : name;
    }
}

/// <summary>
/// clouddriver's namer: moniker annotations (never overwriting the user's), <c>app.kubernetes.io/name</c> (if absent),
/// <c>app.kubernetes.io/managed-by: spinnaker</c> and the sequence label (always), on the object and on its pod template.
/// </summary>
public static class MonikerNamer
{
    public static void Apply(KubernetesManifest manifest, KubernetesMoniker moniker)
    {
        manifest.AnnotateIfAbsent(KubernetesAnnotations.Application, moniker.App);
        manifest.AnnotateIfAbsent(KubernetesAnnotations.Cluster, moniker.Cluster);
        if (!string.IsNullOrEmpty(moniker.Stack))
        {
            manifest.AnnotateIfAbsent(KubernetesAnnotations.Stack, moniker.Stack);
        }

        if (!string.IsNullOrEmpty(moniker.Detail))
        {
            manifest.AnnotateIfAbsent(KubernetesAnnotations.Detail, moniker.Detail);
        }

        if (moniker.Sequence is { } sequence)
        {
            manifest.Annotations[KubernetesAnnotations.Sequence] = sequence.ToString(CultureInfo.InvariantCulture);
        }

        Label(manifest.Labels, moniker);
        if (manifest.PodTemplate is { } template)
        {
            Label(KubernetesManifest.Child(KubernetesManifest.Child(template, "metadata"), "labels"), moniker);
        }
    }

    private static void Label(JsonObject labels, KubernetesMoniker moniker)
    {
        labels[KubernetesAnnotations.NameLabel] ??= moniker.App;
        labels[KubernetesAnnotations.ManagedByLabel] = KubernetesAnnotations.ManagedByValue;
        if (moniker.Sequence is { } sequence)
        {
            labels[KubernetesAnnotations.Sequence] = sequence.ToString(CultureInfo.InvariantCulture);
        }
    }
}

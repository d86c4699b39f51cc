using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Providers.Kubernetes.Manifests;

/// <summary>
/// A Kubernetes object as JSON (any kind, custom resources included) with typed helpers for the parts Spinnaker's provider reads and
/// writes: apiVersion, kind, name, namespace, labels, annotations, the pod template and its containers. It wraps the node (does not
/// copy it), so edits through the helpers change <see cref="Json"/>; use <see cref="DeepClone"/> for a copy.
/// </summary>
public sealed class KubernetesManifest(JsonObject json)
{
    public JsonObject Json { get; } = json;

    public string ApiVersion => Json["apiVersion"].AsString() ?? "";

    public string Kind => Json["kind"].AsString() ?? "";

    public JsonObject Metadata => Json["metadata"] as JsonObject ?? (JsonObject)(Json["metadata"] = new JsonObject());

    public string Name
    {
        get => Metadata["name"].AsString() ?? "";
        set => Metadata["name"] = value;
    }

    public string? GenerateName => Metadata["generateName"].AsString();

    public string? Namespace
    {
        get => CloudNonEmpty(Metadata["namespace"].AsString());
        set => Metadata["namespace"] = value;
    }

    public string? ResourceVersion => Metadata["resourceVersion"].AsString();

    public string? Uid => Metadata["uid"].AsString();

    public long Generation => Metadata["generation"].AsLong() ?? 0;

    public DateTimeOffset? CreationTimestamp =>
        DateTimeOffset.TryParse(Metadata["creationTimestamp"].AsString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    /// <summary>The kind as clouddriver spells it in <c>"kind name"</c>: <c>deployment</c>, <c>replicaSet</c>.</summary>
    public string SpinnakerKindName => Kind.Length == 0 ? "" : char.ToLowerInvariant(Kind[0]) + Kind[1..];

    /// <summary>clouddriver's full resource name: <c>"replicaSet frontend-v003"</c>.</summary>
    public string FullName => $"{SpinnakerKindName} {Name}";

    public JsonObject Labels => Child(Metadata, "labels");

    public JsonObject Annotations => Child(Metadata, "annotations");

    public JsonObject? Spec => Json["spec"] as JsonObject;

    public JsonObject? Status => Json["status"] as JsonObject;

    /// <summary><c>spec.template</c> of workloads; for a CronJob <c>spec.jobTemplate.spec.template</c>; null for other kinds.</summary>
    public JsonObject? PodTemplate =>
        Spec?["template"] as JsonObject ?? Spec?["jobTemplate"]?["spec"]?["template"] as JsonObject;

    /// <summary>The pod spec: the template's for workloads, <c>spec</c> itself for a Pod.</summary>
    public JsonObject? PodSpec => Kind == "Pod" ? Spec : PodTemplate?["spec"] as JsonObject;

    /// <summary>Containers and init containers of the pod spec.</summary>
    public IEnumerable<JsonObject> Containers =>
        PodSpec is not { } pod
            ? []
            : new[] { "initContainers", "containers" }.SelectMany(k => (pod[k] as JsonArray ?? []).OfType<JsonObject>());

    public string? Label(string key) => (Metadata["labels"] as JsonObject)?[key].AsString();

    public string? Annotation(string key) => (Metadata["annotations"] as JsonObject)?[key].AsString();

    /// <summary>Sets an annotation only when absent (clouddriver's <c>storeAnnotation</c>: user-supplied values win).</summary>
    public void AnnotateIfAbsent(string key, string value)
    {
        if (Annotations[key] is null)
        {
            Annotations[key] = value;
        }
    }

    public KubernetesManifest DeepClone() => new((JsonObject)Json.DeepClone());

    /// <summary>The object's coordinates (kind, namespace, name).</summary>
    public ResourceKey Key(string? defaultNamespace = null) => new(ApiVersion, Kind, Namespace ?? defaultNamespace, Name);

    public override string ToString() => Namespace is null ? FullName : $"{FullName} in {Namespace}";

    internal static JsonObject Child(JsonObject parent, string key) =>
        parent[key] as JsonObject ?? (JsonObject)(parent[key] = new JsonObject());

    private static string? CloudNonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>Where an object lives: apiVersion, kind, namespace (null for cluster-scoped kinds) and name.</summary>
public sealed record ResourceKey(string ApiVersion, string Kind, string? Namespace, string Name)
{
    public string FullName => $"{char.ToLowerInvariant(Kind[0])}{Kind[1..]} {Name}";

    public override string ToString() => Namespace is null ? FullName : $"{FullName} in {Namespace}";
}

using System.Text.Json.Nodes;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages.DeployManifest;

/// <summary>
/// What one deployManifest does, read from the stage (clouddriver's <c>KubernetesDeployManifestDescription</c>): the manifests, the
/// moniker, the namespace override, the stage's <c>versioned</c>, the artifacts to bind (required ones must bind), and traffic:
/// <c>Services</c> (<c>"service x"</c>) to declare, whether to attach them now, and the rollout strategy.
/// </summary>
public sealed record DeployManifestRequest
{
    public required IReadOnlyList<JsonObject> Manifests { get; init; }

    public required KubernetesMoniker Moniker { get; init; }

    public string? NamespaceOverride { get; init; }

    public bool? Versioned { get; init; }

    public IReadOnlyList<JsonObject> RequiredArtifacts { get; init; } = [];

    public IReadOnlyList<JsonObject> OptionalArtifacts { get; init; } = [];

    public IReadOnlyList<string> Services { get; init; } = [];

    public bool EnableTraffic { get; init; } = true;

    public string Strategy { get; init; } = "none";
}

/// <summary>The deployed objects (the API's answers) and the artifacts created and bound, in Spinnaker's output shapes.</summary>
public sealed record DeployManifestResult(
    IReadOnlyList<JsonObject> Manifests,
    IReadOnlyList<JsonObject> CreatedArtifacts,
    IReadOnlyList<JsonObject> BoundArtifacts)
{
    public IEnumerable<(string? Namespace, string FullName)> Names =>
        Manifests.Select(m => new KubernetesManifest(m)).Select(m => (m.Namespace, m.FullName));
}

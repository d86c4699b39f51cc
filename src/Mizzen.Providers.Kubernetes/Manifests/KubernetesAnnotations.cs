namespace Mizzen.Providers.Kubernetes.Manifests;

/// <summary>The annotations and labels Spinnaker's Kubernetes provider reads and writes (section 1.3 of the reference), by their wire names.</summary>
public static class KubernetesAnnotations
{
    public const string Application = "moniker.spinnaker.io/application";
    public const string Cluster = "moniker.spinnaker.io/cluster";
    public const string Stack = "moniker.spinnaker.io/stack";
    public const string Detail = "moniker.spinnaker.io/detail";
    public const string Sequence = "moniker.spinnaker.io/sequence";

    public const string ArtifactType = "artifact.spinnaker.io/type";
    public const string ArtifactName = "artifact.spinnaker.io/name";
    public const string ArtifactLocation = "artifact.spinnaker.io/location";
    public const string ArtifactVersion = "artifact.spinnaker.io/version";

    public const string Versioned = "strategy.spinnaker.io/versioned";
    public const string MaxVersionHistory = "strategy.spinnaker.io/max-version-history";
    public const string UseSourceCapacity = "strategy.spinnaker.io/use-source-capacity";
    public const string Recreate = "strategy.spinnaker.io/recreate";
    public const string Replace = "strategy.spinnaker.io/replace";
    public const string ServerSideApply = "strategy.spinnaker.io/server-side-apply";

    public const string LoadBalancers = "traffic.spinnaker.io/load-balancers";
    public const string CachingIgnore = "caching.spinnaker.io/ignore";
    public const string JobLogs = "job.spinnaker.io/logs";

    /// <summary>Kubernetes' own revision of a Deployment's ReplicaSet, used as its sequence.</summary>
    public const string DeploymentRevision = "deployment.kubernetes.io/revision";

    /// <summary>
    /// Mizzen's fingerprint of what it applied (SHA-256 of the manifest without metadata and status): an unchanged versioned manifest
    /// reuses its version. clouddriver compares <c>kubectl.kubernetes.io/last-applied-configuration</c> instead, which for a Secret holds
    /// its data; a hash holds nothing secret.
    /// </summary>
    public const string ManifestHash = "deploy.mizzen.io/manifest-hash";

    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string NameLabel = "app.kubernetes.io/name";
    public const string ManagedByValue = "spinnaker";
}

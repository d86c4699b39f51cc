namespace Mizzen.Providers.Kubernetes.Manifests;

/// <summary>clouddriver's grouping of kinds, which decides where Deck (and Mizzen's read side) shows a resource.</summary>
public enum SpinnakerKind
{
    Unclassified,
    Configs,
    ServerGroups,
    ServerGroupManagers,
    Instances,
    LoadBalancers,
    SecurityGroups,
}

/// <summary>Which of clouddriver's status rules (section 1.4 of the reference) decides whether a resource of the kind is stable.</summary>
public enum StabilityRule
{
    /// <summary>Stable as soon as it exists (ConfigMap, Secret, Service, Ingress, NetworkPolicy, everything unknown).</summary>
    Always,
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    Job,
    Pod,
}

/// <summary>
/// What Mizzen knows about one kind without asking the cluster: its API group and version, the REST plural, whether it lives in a
/// namespace, and clouddriver's handler facts (versioned by default, Spinnaker kind, deploy priority, stability rule). Kinds not in
/// <see cref="KubernetesKinds"/> (custom resources) are found through API discovery and get the defaults of an unknown kind.
/// </summary>
public sealed record KubernetesKind(
    string Kind,
    string Group,
    string Version,
    string Plural,
    bool Namespaced,
    bool Versioned,
    SpinnakerKind SpinnakerKind,
    int DeployPriority,
    StabilityRule Stability)
{
    /// <summary>The priority of custom resources and anything unknown: deployed last.</summary>
    public const int UnknownPriority = 1000;

    /// <summary><c>apps/v1</c>, or <c>v1</c> for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>clouddriver's spelling in <c>"kind name"</c> strings: <c>deployment</c>, <c>replicaSet</c>, <c>configMap</c>.</summary>
    public string SpinnakerName => char.ToLowerInvariant(Kind[0]) + Kind[1..];

    /// <summary>Workload kinds whose pod template receives artifact binding, moniker labels and traffic labels.</summary>
    public bool HasPodTemplate => Stability is StabilityRule.Deployment or StabilityRule.ReplicaSet or StabilityRule.StatefulSet or StabilityRule.DaemonSet or StabilityRule.Job
                                  || Kind == "CronJob";

    /// <summary>Kinds that can receive traffic from a Service (workloads and Pod).</summary>
    public bool CanReceiveTraffic => HasPodTemplate || Kind == "Pod";

    /// <summary>Kinds with a <c>/scale</c> subresource that <c>use-source-capacity</c> and scale apply to.</summary>
    public bool CanScale => Kind is "Deployment" or "ReplicaSet" or "StatefulSet";
}

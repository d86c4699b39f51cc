namespace Mizzen.Providers.Kubernetes.Manifests;

/// <summary>
/// The kind table of clouddriver's handlers (versioned?, Spinnaker kind, deploy priority, stability rule) with each kind's REST
/// coordinates. Lookups ignore case and accept clouddriver's spelling (<c>replicaSet</c>) and the plural (<c>replicasets</c>).
/// </summary>
public static class KubernetesKinds
{
    public static IReadOnlyList<KubernetesKind> All { get; } =
    [
        Kind("Namespace", "", "namespaces", namespaced: false, priority: 0),
        Kind("Role", "rbac.authorization.k8s.io", "roles", priority: 20),
        Kind("ClusterRole", "rbac.authorization.k8s.io", "clusterroles", namespaced: false, priority: 20),
        Kind("RoleBinding", "rbac.authorization.k8s.io", "rolebindings", priority: 30),
        Kind("ClusterRoleBinding", "rbac.authorization.k8s.io", "clusterrolebindings", namespaced: false, priority: 30),
        Kind("CustomResourceDefinition", "apiextensions.k8s.io", "customresourcedefinitions", namespaced: false, priority: 30),
        Kind("ServiceAccount", "", "serviceaccounts", priority: 40),
        Kind("StorageClass", "storage.k8s.io", "storageclasses", namespaced: false, priority: 40),
        Kind("MutatingWebhookConfiguration", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", namespaced: false, priority: 40),
        Kind("ValidatingWebhookConfiguration", "admissionregistration.k8s.io", "validatingwebhookconfigurations", namespaced: false, priority: 40),
        Kind("PersistentVolume", "", "persistentvolumes", namespaced: false, priority: 40, spinnaker: SpinnakerKind.Configs),
        Kind("ConfigMap", "", "configmaps", priority: 50, versioned: true, spinnaker: SpinnakerKind.Configs),
        Kind("Secret", "", "secrets", priority: 50, versioned: true, spinnaker: SpinnakerKind.Configs),
        Kind("PersistentVolumeClaim", "", "persistentvolumeclaims", priority: 50, spinnaker: SpinnakerKind.Configs),
        Kind("Service", "", "services", priority: 70, spinnaker: SpinnakerKind.LoadBalancers),
        Kind("Ingress", "networking.k8s.io", "ingresses", priority: 70, spinnaker: SpinnakerKind.LoadBalancers),
        Kind("NetworkPolicy", "networking.k8s.io", "networkpolicies", priority: 70, spinnaker: SpinnakerKind.SecurityGroups),
        Kind("APIService", "apiregistration.k8s.io", "apiservices", namespaced: false, priority: 80),
        Kind("PodDisruptionBudget", "policy", "poddisruptionbudgets", priority: 90),
        Kind("LimitRange", "", "limitranges", priority: 90),
        Kind("Deployment", "apps", "deployments", priority: 100, spinnaker: SpinnakerKind.ServerGroupManagers, stability: StabilityRule.Deployment),
        Kind("ReplicaSet", "apps", "replicasets", priority: 100, versioned: true, spinnaker: SpinnakerKind.ServerGroups, stability: StabilityRule.ReplicaSet),
        Kind("StatefulSet", "apps", "statefulsets", priority: 100, spinnaker: SpinnakerKind.ServerGroups, stability: StabilityRule.StatefulSet),
        Kind("DaemonSet", "apps", "daemonsets", priority: 100, spinnaker: SpinnakerKind.ServerGroups, stability: StabilityRule.DaemonSet),
        Kind("Job", "batch", "jobs", priority: 100, spinnaker: SpinnakerKind.ServerGroups, stability: StabilityRule.Job),
        Kind("CronJob", "batch", "cronjobs", priority: 100, spinnaker: SpinnakerKind.ServerGroups),
        Kind("Pod", "", "pods", priority: 100, versioned: true, spinnaker: SpinnakerKind.Instances, stability: StabilityRule.Pod),
        Kind("HorizontalPodAutoscaler", "autoscaling", "horizontalpodautoscalers", priority: 110, version: "v2"),
        Kind("Event", "", "events", priority: KubernetesKind.UnknownPriority),
        Kind("ControllerRevision", "apps", "controllerrevisions", priority: KubernetesKind.UnknownPriority),
        Kind("VirtualService", "networking.istio.io", "virtualservices", priority: KubernetesKind.UnknownPriority, version: "v1beta1"),
        Kind("DestinationRule", "networking.istio.io", "destinationrules", priority: KubernetesKind.UnknownPriority, version: "v1beta1"),
    ];

    private static readonly Dictionary<string, KubernetesKind> ByName = BuildIndex();

    /// <summary>The kind by name (<c>Deployment</c>, <c>deployment</c>, <c>replicaSet</c>, <c>replicasets</c>); null when Mizzen does not know it.</summary>
    public static KubernetesKind? Find(string kind) => ByName.GetValueOrDefault(kind);

    /// <summary>The kind of an object with this <c>apiVersion</c> and <c>kind</c>: the table's entry with the object's own version, or null.</summary>
    public static KubernetesKind? Find(string apiVersion, string kind)
    {
        if (Find(kind) is not { } known)
        {
            return null;
        }

        var (group, version) = SplitApiVersion(apiVersion);
        return string.Equals(group, known.Group, StringComparison.OrdinalIgnoreCase)
            ? known with { Version = version }
            : null;
    }

    /// <summary>A custom or unknown kind found through discovery: not versioned, unclassified, deployed last, always stable.</summary>
    public static KubernetesKind Custom(string apiVersion, string kind, string plural, bool namespaced)
    {
        var (group, version) = SplitApiVersion(apiVersion);
        return new KubernetesKind(kind, group, version, plural, namespaced, false, SpinnakerKind.Unclassified, KubernetesKind.UnknownPriority, StabilityRule.Always);
    }

    /// <summary><c>apps/v1</c> → (<c>apps</c>, <c>v1</c>); <c>v1</c> → (<c>""</c>, <c>v1</c>).</summary>
    public static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }

    private static KubernetesKind Kind(
        string kind,
        string group,
        string plural,
        int priority,
        bool namespaced = true,
        bool versioned = false,
        SpinnakerKind spinnaker = SpinnakerKind.Unclassified,
        StabilityRule stability = StabilityRule.Always,
        string version = "v1") =>
        new(kind, group, version, plural, namespaced, versioned, spinnaker, priority, stability);

    private static Dictionary<string, KubernetesKind> BuildIndex()
    {
        var index = new Dictionary<string, KubernetesKind>(StringComparer.OrdinalIgnoreCase);
        foreach (var kind in All)
        {
            index.TryAdd(kind.Kind, kind);
            index.TryAdd(kind.Plural, kind);
        }

        return index;
    }
}

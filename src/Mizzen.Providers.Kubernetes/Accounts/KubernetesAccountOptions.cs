namespace Mizzen.Providers.Kubernetes.Accounts;

/// <summary>
/// One Kubernetes account as configured under <c>Mizzen:Kubernetes:Accounts:{name}</c> (clouddriver's <c>kubernetes.accounts[]</c>):
/// where its credentials come from and what of the cluster Mizzen may touch. Credentials stay in the kubeconfig file or the pod's
/// service account; this class holds only where to find them, so it can be shown (see <see cref="KubernetesAccount.Describe"/>).
/// </summary>
public sealed class KubernetesAccountOptions
{
    /// <summary>A kubeconfig file (<c>~</c> is the home folder). Required unless <see cref="ServiceAccount"/> is true.</summary>
    public string? KubeconfigFile { get; set; }

    /// <summary>The kubeconfig context to use; empty = the file's <c>current-context</c>.</summary>
    public string? Context { get; set; }

    /// <summary>Use the pod's in-cluster service account (token and CA under <c>/var/run/secrets/kubernetes.io/serviceaccount</c>).</summary>
    public bool ServiceAccount { get; set; }

    /// <summary>Namespaces Mizzen may deploy to and read; empty = every namespace not in <see cref="OmitNamespaces"/>.</summary>
    public List<string> Namespaces { get; set; } = [];

    /// <summary>Namespaces Mizzen never deploys to or reads (e.g. <c>kube-system</c>).</summary>
    public List<string> OmitNamespaces { get; set; } = [];

    /// <summary>Kinds Mizzen never deploys or reads (e.g. <c>Secret</c>); matched case-insensitively.</summary>
    public List<string> OmitKinds { get; set; } = [];

    /// <summary>The namespace of manifests that name none; default <c>default</c>.</summary>
    public string DefaultNamespace { get; set; } = "default";

    /// <summary>Cache only resources with a <c>moniker.spinnaker.io/application</c> annotation (clouddriver's <c>onlySpinnakerManaged</c>).</summary>
    public bool OnlySpinnakerManaged { get; set; }
}

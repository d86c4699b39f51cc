namespace Mizzen.Providers.Kubernetes.Bake;

/// <summary>
/// <c>Mizzen:Kubernetes:Helm</c>: Helm is not installed with Mizzen, so HELM2/HELM3 bakes are refused with a validation problem until
/// <see cref="Path"/> names a <c>helm</c> binary (v3; <c>helm template</c> renders both chart API versions).
/// </summary>
public sealed class HelmOptions
{
    public const string SectionName = "Mizzen:Kubernetes:Helm";

    /// <summary>The helm executable (an absolute path, or a name on PATH); null: HELM2/HELM3 are not available.</summary>
    public string? Path { get; set; }

    /// <summary>How long one <c>helm template</c> may run. Default 2 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// <c>Mizzen:Kubernetes:Kustomize</c>: KUSTOMIZE bakes run the kustomize built into kubectl (<c>kubectl kustomize DIR</c>), so nothing
/// else needs installing where kubectl is (Debian's <c>/usr/bin/kubectl</c>, v1.32, has kustomize v5.5).
/// </summary>
public sealed class KustomizeOptions
{
    public const string SectionName = "Mizzen:Kubernetes:Kustomize";

    /// <summary>The kubectl executable. Default <c>kubectl</c> on PATH.</summary>
    public string KubectlPath { get; set; } = "kubectl";

    /// <summary>How long one <c>kubectl kustomize</c> may run. Default 2 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);
}

using Mizzen.Core.Errors;

namespace Mizzen.Providers.Kubernetes.Clouds;

/// <summary>The error for a seam operation that has no Kubernetes meaning: names it and the manifest stage to use instead.</summary>
internal static class KubernetesUnsupported
{
    public static ValidationException Operation(string operation, string instead) =>
        new("cloudProvider", $"the kubernetes provider does not support {operation}; use {instead}");
}

using Mizzen.Core.Errors;
using Mizzen.Orchestration.Clouds;

namespace Mizzen.Providers.Local.Clouds;

/// <summary>Seam records to the local provider's request types.</summary>
internal static class LocalMapping
{
    public static LocalArtifact ToLocal(CloudArtifact artifact) =>
        string.Equals(artifact.Type, LocalArtifact.BundleType, StringComparison.OrdinalIgnoreCase)
            ? new LocalArtifact { Name = artifact.Name, Version = artifact.Version, Reference = artifact.Reference }
            : throw new ValidationException("artifact.type", $"the local provider deploys '{LocalArtifact.BundleType}' artifacts, not '{artifact.Type}'");

    public static HealthCheckSpec ToLocal(HealthCheck check) => new()
    {
        Type = check.Type.ToLowerInvariant() switch
        {
            "http" => HealthCheckType.Http,
            "tcp" => HealthCheckType.Tcp,
            "none" => HealthCheckType.None,
            _ => throw new ValidationException("healthCheck.type", $"'{check.Type}' is not a health check type: use http, tcp or none"),
        },
        Path = string.IsNullOrEmpty(check.Path) ? "/health" : check.Path,
        IntervalSeconds = check.IntervalSeconds,
        TimeoutSeconds = check.TimeoutSeconds,
        HealthyThreshold = check.HealthyThreshold,
        UnhealthyThreshold = check.UnhealthyThreshold,
    };
}

namespace Mizzen.Providers.Kubernetes.Accounts;

/// <summary>The provider's configuration, bound from <c>Mizzen:Kubernetes</c>: accounts by name.</summary>
public sealed class KubernetesProviderOptions
{
    public const string SectionName = "Mizzen:Kubernetes";

    /// <summary>Accounts by name (<c>Mizzen:Kubernetes:Accounts:{name}</c>).</summary>
    public Dictionary<string, KubernetesAccountOptions> Accounts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a watch may stay open before it is renewed from its last resourceVersion (the API server's own limit is 30–60 min).</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

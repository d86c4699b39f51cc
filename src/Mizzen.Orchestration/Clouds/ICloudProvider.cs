namespace Mizzen.Orchestration.Clouds;

/// <summary>
/// One cloud provider as stages see it (the <c>cloudProvider</c> field of a stage: <c>local</c>, later <c>kubernetes</c>).
/// Register implementations with <c>TryAddEnumerable(ServiceDescriptor.Singleton&lt;ICloudProvider, ...&gt;())</c>. Traffic guards are
/// not a provider's own: the one <see cref="ITrafficGuard"/> judges every provider's server groups through <see cref="Reads"/>.
/// </summary>
public interface ICloudProvider
{
    /// <summary>The <c>cloudProvider</c> value that selects this provider.</summary>
    string Name { get; }

    IServerGroupOperations ServerGroups { get; }

    ILoadBalancerOperations LoadBalancers { get; }

    IJobRunner Jobs { get; }

    /// <summary>What is deployed, for the API, CLI and UI.</summary>
    IClusterReads Reads { get; }

    /// <summary>The accounts this provider deploys to.</summary>
    IReadOnlyList<string> Accounts { get; }
}

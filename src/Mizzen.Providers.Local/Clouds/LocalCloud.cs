using Mizzen.Orchestration.Clouds;

namespace Mizzen.Providers.Local.Clouds;

/// <summary>The local provider behind Orchestration's cloud seam (<c>cloudProvider: "local"</c>).</summary>
internal sealed class LocalCloud(
    LocalServerGroupOperations serverGroups,
    LocalLoadBalancerOperations loadBalancers,
    LocalJobRunnerAdapter jobs,
    LocalTrafficGuard trafficGuard,
    LocalAccountRegistry accounts) : ICloudProvider
{
    public const string ProviderName = "local";

    public string Name => ProviderName;

    public IServerGroupOperations ServerGroups => serverGroups;

    public ILoadBalancerOperations LoadBalancers => loadBalancers;

    public IJobRunner Jobs => jobs;

    public ITrafficGuard TrafficGuard => trafficGuard;

    // The read side moves here from ILocalCloudProvider (issue 12, in progress on the readside branch).
    public IClusterReads Reads => throw new NotSupportedException("the local provider's read side is not on the cloud seam yet");

    public IReadOnlyList<string> Accounts => accounts.Names.Order(StringComparer.Ordinal).ToList();
}

using Mizzen.Orchestration.Clouds;

namespace Mizzen.Providers.Local.Clouds;

/// <summary>The local provider behind Orchestration's cloud seam (<c>cloudProvider: "local"</c>).</summary>
internal sealed class LocalCloud(
    LocalServerGroupOperations serverGroups,
    LocalLoadBalancerOperations loadBalancers,
    LocalJobRunnerAdapter jobs,
    LocalClusterReads reads,
    LocalAccountRegistry accounts) : ICloudProvider
{
    public const string ProviderName = "local";

    public string Name => ProviderName;

    public IServerGroupOperations ServerGroups => serverGroups;

    public ILoadBalancerOperations LoadBalancers => loadBalancers;

    public IJobRunner Jobs => jobs;

    public IClusterReads Reads => reads;

    public IReadOnlyList<string> Accounts => accounts.Names.Order(StringComparer.Ordinal).ToList();
}

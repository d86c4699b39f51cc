using Mizzen.Orchestration.Clouds;
using Mizzen.Providers.Kubernetes.Accounts;

namespace Mizzen.Providers.Kubernetes.Clouds;

/// <summary>
/// The Kubernetes provider behind Orchestration's cloud seam (<c>cloudProvider: "kubernetes"</c>). Manifest stages work on
/// <see cref="KubernetesAccounts"/> directly; the seam's server-group, load-balancer and job operations answer where a Kubernetes
/// object maps onto them and say clearly where it does not.
/// </summary>
public sealed class KubernetesCloud(
    KubernetesAccounts accounts,
    KubernetesServerGroupOperations serverGroups,
    KubernetesLoadBalancerOperations loadBalancers,
    KubernetesJobRunner jobs,
    KubernetesClusterReads reads) : ICloudProvider
{
    public const string ProviderName = "kubernetes";

    public string Name => ProviderName;

    public IServerGroupOperations ServerGroups => serverGroups;

    public ILoadBalancerOperations LoadBalancers => loadBalancers;

    public IJobRunner Jobs => jobs;

    public IClusterReads Reads => reads;

    public IReadOnlyList<string> Accounts => accounts.Names;
}

namespace Mizzen.Providers.Local.Api;

/// <summary>The built-in weighted HTTP load balancers (upsertLoadBalancer / deleteLoadBalancer; weights for canaries).</summary>
public interface ILocalLoadBalancers
{
    Task<LoadBalancerView> UpsertLoadBalancerAsync(LoadBalancerSpec spec, CancellationToken cancellationToken);

    Task DeleteLoadBalancerAsync(string account, string name, CancellationToken cancellationToken);

    /// <summary>Replaces the targets and weights of a load balancer (e.g. 80/10/10 between prod, baseline and canary).</summary>
    Task SetWeightsAsync(string account, string name, IReadOnlyList<LoadBalancerTarget> targets, CancellationToken cancellationToken);

    Task<LoadBalancerView?> GetLoadBalancerAsync(string account, string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<LoadBalancerView>> ListLoadBalancersAsync(CancellationToken cancellationToken);
}

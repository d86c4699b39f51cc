namespace Mizzen.Orchestration.Clouds;

/// <summary>
/// Load balancers of one cloud provider (upsertLoadBalancer, deleteLoadBalancer, setTrafficWeights, canary weights). Listing them is
/// the read side's (<see cref="IClusterReads.ListLoadBalancersAsync"/>, per application, which the API, CLI and UI use), not this seam's.
/// </summary>
public interface ILoadBalancerOperations
{
    Task<LoadBalancerSummary> UpsertAsync(LoadBalancerDefinition definition, CancellationToken cancellationToken);

    /// <summary>Deletes the load balancer; a missing one is not an error.</summary>
    Task DeleteAsync(string account, string name, CancellationToken cancellationToken);

    /// <summary>Replaces the targets and their weights (e.g. 80/10/10 between prod, baseline and canary).</summary>
    Task SetWeightsAsync(string account, string name, IReadOnlyList<WeightedTarget> targets, CancellationToken cancellationToken);

    Task<LoadBalancerSummary?> GetAsync(string account, string name, CancellationToken cancellationToken);
}

/// <summary>A load balancer to create or update; <see cref="Port"/> 0 lets the provider choose.</summary>
public sealed record LoadBalancerDefinition(string Name, string Account, int Port, IReadOnlyList<WeightedTarget> Targets);

/// <summary>A server group behind a load balancer with its relative weight.</summary>
public sealed record WeightedTarget(string ServerGroup, int Weight);

public sealed record LoadBalancerSummary(string Name, string Account, int Port, Uri Url, IReadOnlyList<WeightedTarget> Targets);

namespace Mizzen.Providers.Local.Api;

/// <summary>A load balancer to create or update. <see cref="Port"/> 0 picks a free port from the account's range once and keeps it.</summary>
public sealed record LoadBalancerSpec
{
    public required string Name { get; init; }

    public required string Account { get; init; }

    public int Port { get; init; }

    public IReadOnlyList<LoadBalancerTarget> Targets { get; init; } = [];
}

/// <summary>A server group behind a load balancer and its relative weight (80/10/10 for a canary).</summary>
public sealed record LoadBalancerTarget(string ServerGroup, int Weight);

/// <summary>A load balancer: its configured <see cref="Targets"/>, and the <see cref="Routing"/> its router applies to them when read.</summary>
public sealed record LoadBalancerView(string Name, string Account, int Port, Uri Url, IReadOnlyList<LoadBalancerTarget> Targets)
{
    /// <summary>One entry per target, in the order of <see cref="Targets"/>: each one's effective share of new requests.</summary>
    public IReadOnlyList<EffectiveRoute> Routing { get; init; } = [];
}

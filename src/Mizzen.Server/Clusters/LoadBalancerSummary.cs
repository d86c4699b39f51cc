using Mizzen.Orchestration.Clouds;

namespace Mizzen.Server.Clusters;

/// <summary>
/// A load balancer in clouddriver's shape (<c>name</c>, <c>account</c>, <c>region</c>, <c>type</c>, <c>cloudProvider</c>,
/// <c>serverGroups</c>) plus the <c>url</c> it listens on (when the provider knows one) and the <c>targets</c> with their configured
/// weights and the share of traffic each one gets now (<see cref="LoadBalancerTargetSummary"/>).
/// </summary>
public sealed record LoadBalancerSummary(
    string Name,
    string Account,
    string Region,
    string Type,
    string CloudProvider,
    int Port,
    string? Url,
    IReadOnlyList<LoadBalancerTargetSummary> Targets,
    IReadOnlyList<LoadBalancerServerGroup> ServerGroups)
{
    public static LoadBalancerSummary From(LoadBalancerDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return new(
            details.Name,
            details.Account,
            details.Region,
            details.Type,
            details.CloudProvider,
            details.Port,
            details.Url?.AbsoluteUri.TrimEnd('/'),
            [.. details.Targets.Select(t => new LoadBalancerTargetSummary(t.ServerGroup, t.Weight, t.ConfiguredPercent, t.Percent, t.UpInstances, t.Routing))],
            [.. details.ServerGroups.Select(g => new LoadBalancerServerGroup(g.Name, g.IsDisabled, g.UpInstances, g.TotalInstances))]);
    }
}

/// <summary>
/// A target as configured and as routed: <c>weight</c> is the configured weight and <c>configuredPercent</c> its share of all
/// configured weights; <c>percent</c> is the share of new requests the load balancer sends it now (0 for a disabled server group,
/// one without Up instances or a weight of 0; the others share its traffic), <c>upInstances</c> how many instances it may route
/// to, and <c>routing</c> why: <c>routed</c>, <c>disabled</c>, <c>noUpInstances</c>, <c>zeroWeight</c> or <c>serverGroupMissing</c>.
/// </summary>
public sealed record LoadBalancerTargetSummary(string ServerGroup, int Weight, double ConfiguredPercent, double Percent, int UpInstances, string Routing);

public sealed record LoadBalancerServerGroup(string Name, bool IsDisabled, int UpInstances, int TotalInstances);

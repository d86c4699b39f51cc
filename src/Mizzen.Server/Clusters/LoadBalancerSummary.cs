using Mizzen.Providers.Local.Api;

namespace Mizzen.Server.Clusters;

/// <summary>
/// A load balancer in clouddriver's shape (<c>name</c>, <c>account</c>, <c>region</c>, <c>type</c>, <c>serverGroups</c>)
/// plus what the local provider adds: the <c>url</c> it listens on and the <c>targets</c> with their configured weights and the share
/// of traffic each one gets now (<see cref="LoadBalancerTargetSummary"/>).
/// </summary>
public sealed record LoadBalancerSummary(
    string Name,
    string Account,
    string Region,
    string Type,
    string CloudProvider,
    int Port,
    string Url,
    IReadOnlyList<LoadBalancerTargetSummary> Targets,
    IReadOnlyList<LoadBalancerServerGroup> ServerGroups)
{
    public static LoadBalancerSummary From(LoadBalancerView view, IReadOnlyList<ServerGroupView> serverGroups)
    {
        var total = view.Targets.Sum(t => Math.Max(0, t.Weight));
        return new LoadBalancerSummary(
            view.Name,
            view.Account,
            ServerGroupSummary.Provider,
            ServerGroupSummary.Provider,
            ServerGroupSummary.Provider,
            view.Port,
            view.Url.AbsoluteUri.TrimEnd('/'),
            [.. view.Routing.Select(r => LoadBalancerTargetSummary.From(r, total))],
            [.. serverGroups
                .Where(g => g.Account == view.Account && (g.LoadBalancers.Contains(view.Name) || view.Targets.Any(t => t.ServerGroup == g.Name)))
                .Select(g => new LoadBalancerServerGroup(g.Name, !g.Enabled, g.InstanceCounts.Up, g.InstanceCounts.Total))]);
    }

    /// <summary>
    /// The load balancers of <paramref name="application"/> (lower-case) in this node's accounts, by account and name: what
    /// <c>GET /applications/{app}/loadBalancers</c> answers before it adds other nodes' accounts, and what the UI's load balancer page shows.
    /// </summary>
    public static async Task<IReadOnlyList<LoadBalancerSummary>> ListForApplicationAsync(
        string application, ILocalCloudProvider provider, ILocalLoadBalancers balancers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(balancers);
        var serverGroups = await provider.ListServerGroupsAsync(application, cancellationToken);
        return [.. (await balancers.ListLoadBalancersAsync(cancellationToken))
            .Where(lb => BelongsTo(lb, application, serverGroups))
            .OrderBy(lb => lb.Account, StringComparer.Ordinal).ThenBy(lb => lb.Name, StringComparer.Ordinal)
            .Select(lb => From(lb, serverGroups))];
    }

    /// <summary>
    /// Load balancers have no owner field; like Spinnaker (Frigga), one belongs to <paramref name="application"/> when its name is the
    /// application or starts with <c>application-</c>, or when it routes to one of the application's server groups.
    /// </summary>
    public static bool BelongsTo(LoadBalancerView view, string application, IReadOnlyList<ServerGroupView> serverGroups) =>
        string.Equals(view.Name, application, StringComparison.OrdinalIgnoreCase)
        || view.Name.StartsWith(application + "-", StringComparison.OrdinalIgnoreCase)
        || view.Targets.Any(t => serverGroups.Any(g => g.Account == view.Account && g.Name == t.ServerGroup));
}

/// <summary>
/// A target as configured and as routed: <c>weight</c> is the configured weight and <c>configuredPercent</c> its share of all
/// configured weights; <c>percent</c> is the share of new requests the load balancer sends it now (0 for a disabled server group,
/// one without Up instances or a weight of 0; the others share its traffic), <c>upInstances</c> how many instances it may route
/// to, and <c>routing</c> why: <c>routed</c>, <c>disabled</c>, <c>noUpInstances</c>, <c>zeroWeight</c> or <c>serverGroupMissing</c>.
/// </summary>
public sealed record LoadBalancerTargetSummary(string ServerGroup, int Weight, double ConfiguredPercent, double Percent, int UpInstances, string Routing)
{
    public static LoadBalancerTargetSummary From(EffectiveRoute route, int totalWeight)
    {
        ArgumentNullException.ThrowIfNull(route);
        var configured = totalWeight == 0 ? 0 : Math.Round(100.0 * Math.Max(0, route.Weight) / totalWeight, 1);
        return new(route.ServerGroup, route.Weight, configured, route.Percent, route.RoutableInstances, Wire(route.Reason));
    }

    private static string Wire(RouteReason reason) => reason switch
    {
        RouteReason.Routed => "routed",
        RouteReason.Disabled => "disabled",
        RouteReason.NoUpInstances => "noUpInstances",
        RouteReason.ZeroWeight => "zeroWeight",
        _ => "serverGroupMissing",
    };
}

public sealed record LoadBalancerServerGroup(string Name, bool IsDisabled, int UpInstances, int TotalInstances);

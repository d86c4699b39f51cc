using Mizzen.Providers.Local.Api;

namespace Mizzen.Server.Clusters;

/// <summary>
/// A load balancer in clouddriver's shape (<c>name</c>, <c>account</c>, <c>region</c>, <c>type</c>, <c>serverGroups</c>)
/// plus what the local provider adds: the <c>url</c> it listens on and the weighted <c>targets</c>.
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
            [.. view.Targets.Select(t => new LoadBalancerTargetSummary(t.ServerGroup, t.Weight, total == 0 ? 0 : Math.Round(100.0 * Math.Max(0, t.Weight) / total, 1)))],
            [.. serverGroups
                .Where(g => g.Account == view.Account && (g.LoadBalancers.Contains(view.Name) || view.Targets.Any(t => t.ServerGroup == g.Name)))
                .Select(g => new LoadBalancerServerGroup(g.Name, !g.Enabled, g.InstanceCounts.Up, g.InstanceCounts.Total))]);
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

/// <summary>A target and its weight; <c>percent</c> is its share of all weights.</summary>
public sealed record LoadBalancerTargetSummary(string ServerGroup, int Weight, double Percent);

public sealed record LoadBalancerServerGroup(string Name, bool IsDisabled, int UpInstances, int TotalInstances);

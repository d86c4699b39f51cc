using Microsoft.Extensions.Options;
using Mizzen.Persistence.Applications;

namespace Mizzen.Orchestration.Clouds.Guards;

/// <summary>
/// Orca's traffic guard, the same for every provider: the rules are the application's stored <c>trafficGuards</c>
/// (<see cref="TrafficGuardRule"/>), and the cluster's Up instances are counted through the provider's read side
/// (<see cref="IClusterReads"/>), so a Kubernetes cluster is guarded exactly as a local one. When the target server group's cluster
/// (same account, region and cluster name) is protected, an operation on it (or, for a <see cref="GuardedChange.ServerGroups"/> change,
/// on all of its server groups in that cluster together) that would leave (Up instances in enabled server groups
/// afterwards) / (now) at or below <see cref="TrafficGuardOptions.MinCapacityRatio"/> is refused; a cluster with nothing up now is
/// not guarded (there is no traffic to lose). Without an application store (a host with no persistence) nothing is guarded.
/// </summary>
public sealed class ClusterTrafficGuard(
    CloudProviderRegistry providers, IApplicationStore? applications = null, IOptions<TrafficGuardOptions>? options = null) : ITrafficGuard
{
    public async Task<GuardDecision> CheckAsync(string application, GuardedChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (applications is null || await applications.GetAsync(application, cancellationToken) is not { } stored)
        {
            return GuardDecision.Allow;
        }

        var rules = TrafficGuardRule.FromApplication(stored.Extra);
        return rules.Count == 0
            ? GuardDecision.Allow
            : await CheckAsync(providers.Get(change.CloudProvider), rules, change, cancellationToken);
    }

    /// <summary>Judges <paramref name="change"/> on <paramref name="provider"/> against <paramref name="rules"/> (an application's guards).</summary>
    public async Task<GuardDecision> CheckAsync(
        ICloudProvider provider, IReadOnlyList<TrafficGuardRule> rules, GuardedChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(change);
        var names = change.ServerGroups ?? [change.ServerGroup];
        var targets = new List<ServerGroupDetails>();
        foreach (var name in names)
        {
            if (await provider.Reads.GetServerGroupAsync(change.Account, name, cancellationToken) is { } found)
            {
                targets.Add(found);
            }
        }

        if (targets.Count == 0)
        {
            return GuardDecision.Allow;
        }

        var target = targets[0];
        var group = target.Summary;
        if (!rules.Any(r => r.Matches(change.Account, target.Region, group.Stack, group.Detail)))
        {
            return GuardDecision.Allow;
        }

        var affected = targets.Where(t => t.Region == target.Region && t.Summary.Cluster == group.Cluster).Select(t => t.Summary.Name).ToHashSet(StringComparer.Ordinal);
        var cluster = (await provider.Reads.ListServerGroupsAsync(group.Application, cancellationToken))
            .Where(g => g.Summary.Account == change.Account && g.Region == target.Region && g.Summary.Cluster == group.Cluster && g.Summary.Enabled)
            .Select(g => g.Summary)
            .ToList();
        var current = cluster.Sum(g => g.Instances.Up);
        if (current == 0)
        {
            return GuardDecision.Allow;
        }

        var affectedUp = cluster.Where(g => affected.Contains(g.Name)).Sum(g => g.Instances.Up);
        var future = current - affectedUp + FutureUp(affectedUp, change);
        if ((double)future / current > (options?.Value.MinCapacityRatio ?? 0))
        {
            return GuardDecision.Allow;
        }

        var where = target.Region == change.Account ? change.Account : $"{change.Account}, {target.Region}";
        var left = future == 0 ? "no instances up" : $"only {future} of its {current} instances up";
        var subject = change.ServerGroups is null ? group.Name : change.ServerGroup;
        return GuardDecision.Refuse($"This cluster ('{group.Cluster}' in {where}) has traffic guards enabled. {Verb(change)} {subject} would leave the cluster with {left}.");
    }

    private static int FutureUp(int up, GuardedChange change) => change.Kind switch
    {
        GuardedChangeKind.Resize => Math.Min(up, change.NewDesired ?? 0),
        _ => 0,
    };

    private static string Verb(GuardedChange change) => change.Kind switch
    {
        GuardedChangeKind.Disable => "Disabling",
        GuardedChangeKind.Destroy => "Destroying",
        _ => $"Resizing to {change.NewDesired}",
    };
}

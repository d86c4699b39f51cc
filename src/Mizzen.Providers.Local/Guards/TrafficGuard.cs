using Mizzen.Providers.Local.ServerGroups;

namespace Mizzen.Providers.Local.Guards;

/// <summary>
/// Orca's traffic guard for the local provider: when the cluster is protected, an operation that would leave it with (future Up
/// instances in enabled server groups) / (current ones) at or below <see cref="MinCapacityRatio"/> is refused. Skipped when nothing is up now.
/// </summary>
public sealed class TrafficGuard(ILocalCloudProvider provider)
{
    /// <summary>Spinnaker's <c>traffic-guards.min-capacity-ratio</c>: 0 by default (refuse only when nothing would be left up).</summary>
    public double MinCapacityRatio { get; init; }

    /// <summary>Throws <see cref="TrafficGuardException"/> when <paramref name="operation"/> is not allowed.</summary>
    public async Task EnsureAllowedAsync(string application, IReadOnlyList<TrafficGuardRule> guards, GuardedOperation operation, CancellationToken cancellationToken)
    {
        var target = await provider.GetServerGroupAsync(operation.Account, operation.ServerGroup, cancellationToken);
        if (target is null)
        {
            return;
        }

        if (!guards.Any(g => g.Matches(operation.Account, operation.Account, target.Stack, target.Detail)))
        {
            return;
        }

        var cluster = (await provider.ListServerGroupsAsync(application, cancellationToken))
            .Where(g => g.Account == operation.Account && g.Cluster == target.Cluster)
            .ToList();
        var current = cluster.Where(g => g.Enabled).Sum(g => g.InstanceCounts.Up);
        if (current == 0)
        {
            return;
        }

        var future = cluster.Where(g => g.Enabled).Sum(g => g.Name == target.Name ? FutureUp(g, operation) : g.InstanceCounts.Up);
        if ((double)future / current <= MinCapacityRatio)
        {
            throw new TrafficGuardException(
                $"This cluster ('{target.Cluster}' in {operation.Account}) has traffic guards enabled. " +
                $"{Verb(operation)} {target.Name} would leave the cluster with no instances up.");
        }
    }

    private static int FutureUp(ServerGroupView group, GuardedOperation operation) => operation.Kind switch
    {
        GuardedOperationKind.Resize => Math.Min(group.InstanceCounts.Up, operation.NewDesired ?? 0),
        _ => 0,
    };

    private static string Verb(GuardedOperation operation) => operation.Kind switch
    {
        GuardedOperationKind.Disable => "Disabling",
        GuardedOperationKind.Destroy => "Destroying",
        _ => $"Resizing to {operation.NewDesired}",
    };
}

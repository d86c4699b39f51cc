using Mizzen.Core.Errors;
using Mizzen.Providers.Local.Api;

namespace Mizzen.Server.Clusters;

/// <summary>
/// One-click rollback of a cluster: <see cref="Current"/> is the newest enabled server group, <see cref="Previous"/> the newest
/// older one — what Deck's "Rollback" offers by default.
/// </summary>
public sealed record RollbackPlan(ServerGroupView Current, ServerGroupView Previous)
{
    public static RollbackPlan For(ClusterView cluster)
    {
        var newestFirst = cluster.ServerGroups.OrderByDescending(g => g.Sequence).ToList();
        var current = newestFirst.FirstOrDefault(g => g.Enabled)
                      ?? throw new ConflictException($"cluster '{cluster.Name}' in account '{cluster.Account}' has no enabled server group to roll back");
        var previous = newestFirst.FirstOrDefault(g => g.Sequence < current.Sequence)
                       ?? throw new ConflictException($"cluster '{cluster.Name}' in account '{cluster.Account}' has no server group older than {current.Name} to roll back to");
        return new RollbackPlan(current, previous);
    }
}

using Mizzen.Core.Errors;
using CloudServerGroup = Mizzen.Orchestration.Clouds.ServerGroupSummary;

namespace Mizzen.Server.Clusters;

/// <summary>
/// One-click rollback of a cluster: <see cref="Current"/> is the newest enabled server group, <see cref="Previous"/> the newest
/// older one — what Deck's "Rollback" offers by default. <see cref="CloudProvider"/> is the provider both belong to.
/// </summary>
public sealed record RollbackPlan(string CloudProvider, CloudServerGroup Current, CloudServerGroup Previous)
{
    /// <summary>The plan for the cluster <paramref name="cluster"/> in <paramref name="account"/>, given its server groups (any order).</summary>
    public static RollbackPlan For(string cloudProvider, string account, string cluster, IReadOnlyList<CloudServerGroup> serverGroups)
    {
        ArgumentNullException.ThrowIfNull(serverGroups);
        var newestFirst = serverGroups.OrderByDescending(g => g.Sequence).ToList();
        var current = newestFirst.FirstOrDefault(g => g.Enabled)
                      ?? throw new ConflictException($"cluster '{cluster}' in account '{account}' has no enabled server group to roll back");
        var previous = newestFirst.FirstOrDefault(g => g.Sequence < current.Sequence)
                       ?? throw new ConflictException($"cluster '{cluster}' in account '{account}' has no server group older than {current.Name} to roll back to");
        return new RollbackPlan(cloudProvider, current, previous);
    }
}

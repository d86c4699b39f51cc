using Mizzen.Core.Errors;
using CloudServerGroup = Mizzen.Orchestration.Clouds.ServerGroupSummary;

namespace Mizzen.Server.Clusters;

/// <summary>
/// One-click rollback of a cluster: <see cref="Current"/> is the newest enabled server group, <see cref="Previous"/> the newest
/// older one — what Deck's "Rollback" offers by default. <see cref="CloudProvider"/> is the provider both belong to.
/// <see cref="Undo"/> is set for a Kubernetes cluster (a Deployment's ReplicaSets): the rollback then undoes the Deployment's rollout to
/// the previous ReplicaSet's revision, as <c>kubectl rollout undo</c> and Deck's "Undo rollout" do, rather than enabling one
/// server group and disabling the other.
/// </summary>
public sealed record RollbackPlan(string CloudProvider, CloudServerGroup Current, CloudServerGroup Previous)
{
    public RolloutUndo? Undo { get; init; }

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

/// <summary>The Deployment (<c>"deployment web"</c>) in <see cref="Namespace"/> to roll back to <see cref="Revision"/>.</summary>
public sealed record RolloutUndo(string Namespace, string Manager, string Revision);

using Mizzen.Orchestration.Clouds;

namespace Mizzen.Orchestration.Stages.ServerGroups;

/// <summary>How the cluster-wide stages rank server groups: newest first, or larger first when asked (<c>retainLargerOverNewer</c> / <c>preferLargerOverNewer</c>).</summary>
public static class ClusterOrdering
{
    public static List<ServerGroupSummary> Rank(IEnumerable<ServerGroupSummary> groups, bool largerFirst) =>
        largerFirst
            ? groups.OrderByDescending(g => g.Capacity.Desired).ThenByDescending(g => g.Sequence).ThenByDescending(g => g.CreatedTime).ToList()
            : groups.OrderByDescending(g => g.Sequence).ThenByDescending(g => g.CreatedTime).ToList();
}

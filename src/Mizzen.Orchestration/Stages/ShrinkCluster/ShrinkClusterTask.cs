using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.ShrinkCluster;

/// <summary>Destroys every server group past the first <c>shrinkToSize</c>; active ones only with <c>allowDeleteActive</c>.</summary>
public sealed class ShrinkClusterTask(CloudProviderRegistry registry, ITrafficGuard guard, ILogger<ShrinkClusterTask> logger) : ClusterStageTask(registry, guard, logger)
{
    protected override IEnumerable<(ServerGroupSummary Group, GuardedChange Change)> Choose(JsonObject context, IReadOnlyList<ServerGroupSummary> newestFirst)
    {
        var keep = (int)Math.Max(0, context["shrinkToSize"].AsLong() ?? 1);
        var allowDeleteActive = context["allowDeleteActive"].AsBool() == true;
        var ranked = ClusterOrdering.Rank(newestFirst, context["retainLargerOverNewer"].AsBool() == true);
        return ranked.Skip(keep)
            .Where(g => allowDeleteActive || !g.Enabled)
            .Select(g => (g, new GuardedChange(GuardedChangeKind.Destroy, g.Account, g.Name)));
    }
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.ScaleDownCluster;

/// <summary>Resizes to 0 the server groups past the first <c>remainingFullSizeServerGroups</c> (disabled ones unless <c>allowScaleDownActive</c>).</summary>
public sealed class ScaleDownClusterTask(CloudProviderRegistry registry, ITrafficGuard guard, ILogger<ScaleDownClusterTask> logger) : ClusterStageTask(registry, guard, logger)
{
    protected override IEnumerable<(ServerGroupSummary Group, GuardedChange Change)> Choose(JsonObject context, IReadOnlyList<ServerGroupSummary> newestFirst)
    {
        var keep = (int)Math.Max(0, context["remainingFullSizeServerGroups"].AsLong() ?? 1);
        var allowActive = context["allowScaleDownActive"].AsBool() == true;
        var ranked = ClusterOrdering.Rank(newestFirst, context["preferLargerOverNewer"].AsBool() == true);
        return ranked.Skip(keep)
            .Where(g => g.Capacity.Desired > 0 && (allowActive || !g.Enabled))
            .Select(g => (g, new GuardedChange(GuardedChangeKind.Resize, g.Account, g.Name, 0)));
    }
}

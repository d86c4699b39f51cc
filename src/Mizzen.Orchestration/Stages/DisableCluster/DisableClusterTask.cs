using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.DisableCluster;

/// <summary>Disables the enabled server groups past the first <c>remainingEnabledServerGroups</c>.</summary>
public sealed class DisableClusterTask(CloudProviderRegistry registry, ITrafficGuard guard, ILogger<DisableClusterTask> logger) : ClusterStageTask(registry, guard, logger)
{
    protected override IEnumerable<(ServerGroupSummary Group, GuardedChange Change)> Choose(JsonObject context, IReadOnlyList<ServerGroupSummary> newestFirst)
    {
        var keep = (int)Math.Max(0, context["remainingEnabledServerGroups"].AsLong() ?? 1);
        var enabled = ClusterOrdering.Rank(newestFirst.Where(g => g.Enabled), context["preferLargerOverNewer"].AsBool() == true);
        return enabled.Skip(keep).Select(g => (g, new GuardedChange(GuardedChangeKind.Disable, g.Account, g.Name)));
    }
}

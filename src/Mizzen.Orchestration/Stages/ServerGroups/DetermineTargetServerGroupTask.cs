using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.ServerGroups;

/// <summary>
/// Resolves the stage's target once and writes it as <c>serverGroupName</c> into the stage context, so later tasks (and a
/// re-run after a crash) act on the same server group even when the cluster changes meanwhile.
/// Explicit <c>serverGroupName</c>/<c>asgName</c> wins; otherwise <c>cluster</c> (or moniker) + <c>target</c>.
/// </summary>
public sealed class DetermineTargetServerGroupTask(CloudProviderRegistry registry) : ITask
{
    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(5);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (!CloudStageContext.TryResolve(context, registry, out var target, out var failure))
        {
            return failure!;
        }

        if (ServerGroupTargets.ExplicitName(context.Context) is { } name)
        {
            return TaskResult.Succeeded(new JsonObject { [ServerGroupContextKeys.ServerGroupName] = name });
        }

        var cluster = CloudStageContext.Cluster(context.Context);
        var targetName = context.Context["target"].AsString();
        if (cluster is null || targetName is null)
        {
            return TaskResult.Terminal($"Stage '{context.Stage.Name}' needs 'serverGroupName', or 'cluster' and 'target' ({string.Join(", ", ServerGroupTargets.Known)})");
        }

        var groups = await target.ServerGroups.ListClusterAsync(target.Application, target.Account, cluster, cancellationToken);
        if (ServerGroupTargets.Pick(groups, targetName) is not { } picked)
        {
            return TaskResult.Terminal(
                $"No server group matches target '{targetName}' in cluster '{cluster}' of account '{target.Account}' ({groups.Count} server group(s) found)");
        }

        return TaskResult.Succeeded(new JsonObject { [ServerGroupContextKeys.ServerGroupName] = picked.Name, ["cluster"] = cluster });
    }
}

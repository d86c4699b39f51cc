using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.ServerGroups;

/// <summary>
/// A cluster-wide operation (shrinkCluster, scaleDownCluster, disableCluster): lists the cluster, lets the subclass choose and
/// change server groups one by one (each change asks the traffic guard first), and reports what it changed.
/// </summary>
public abstract class ClusterStageTask(CloudProviderRegistry registry, ITrafficGuard guard, ILogger logger) : ITask
{
    protected ILogger Logger => logger;

    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(10);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (!CloudStageContext.TryResolve(context, registry, out var target, out var failure))
        {
            return failure!;
        }

        if (CloudStageContext.Cluster(context.Context) is not { } cluster)
        {
            return TaskResult.Terminal($"Stage '{context.Stage.Name}' needs 'cluster'");
        }

        var groups = await target.ServerGroups.ListClusterAsync(target.Application, target.Account, cluster, cancellationToken);
        var changed = new JsonArray();
        foreach (var (group, change) in Choose(context.Context, groups))
        {
            if (await GuardedOperations.RefusalAsync(context, target, change, guard, logger, cancellationToken) is { } refused)
            {
                refused.Context!["changedServerGroups"] = changed;
                return refused;
            }

            ServerGroupStageLog.Operation(logger, context.Execution.Id, context.Stage.Id, change.Kind.ToString().ToLowerInvariant(), target.Account, group.Name);
            await ApplyAsync(target, group, change, cancellationToken);
            changed.Add(group.Name);
        }

        return TaskResult.Succeeded(new JsonObject
        {
            ["changedServerGroups"] = changed,
            [ServerGroupContextKeys.ServerGroups] = new JsonObject { [target.Account] = changed.DeepClone() },
            [ServerGroupContextKeys.AccountName] = target.Account,
        });
    }

    /// <summary>The server groups to change and how, given the cluster newest first.</summary>
    protected abstract IEnumerable<(ServerGroupSummary Group, GuardedChange Change)> Choose(JsonObject context, IReadOnlyList<ServerGroupSummary> newestFirst);

    private static Task ApplyAsync(CloudTarget target, ServerGroupSummary group, GuardedChange change, CancellationToken cancellationToken) => change.Kind switch
    {
        GuardedChangeKind.Destroy => target.ServerGroups.DestroyAsync(target.Account, group.Name, cancellationToken),
        GuardedChangeKind.Disable => target.ServerGroups.DisableAsync(target.Account, group.Name, cancellationToken),
        _ => target.ServerGroups.ResizeAsync(target.Account, group.Name, Capacity.Exactly(change.NewDesired ?? 0), cancellationToken),
    };
}

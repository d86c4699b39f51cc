using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.RollbackServerGroup;

/// <summary>
/// Fixes the two server groups of a rollback in <c>rollbackContext</c> (for PREVIOUS: the cluster's newest and the one before it) and
/// the capacity to restore (<c>restoreCapacity</c>: the rolled-back server group's, at least the restore one's own).
/// </summary>
public sealed class DetermineRollbackCandidatesTask(CloudProviderRegistry registry) : ITask
{
    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(5);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (!CloudStageContext.TryResolve(context, registry, out var target, out var failure))
        {
            return failure!;
        }

        var rollbackContext = context.Context["rollbackContext"] is JsonObject given ? (JsonObject)given.DeepClone() : [];
        var rollbackName = rollbackContext["rollbackServerGroupName"].AsString();
        var restoreName = rollbackContext["restoreServerGroupName"].AsString();
        var type = (context.Context["rollbackType"].AsString() ?? "EXPLICIT").ToUpperInvariant();
        if (type != "EXPLICIT" && (rollbackName is null || restoreName is null))
        {
            var cluster = CloudStageContext.Cluster(context.Context) ?? "";
            var groups = await target.ServerGroups.ListClusterAsync(target.Application, target.Account, cluster, cancellationToken);
            if (groups.Count < 2)
            {
                return TaskResult.Terminal($"Cluster '{cluster}' in account '{target.Account}' has {groups.Count} server group(s): there is no previous one to roll back to");
            }

            rollbackName = groups[0].Name;
            restoreName = groups[1].Name;
        }

        if (rollbackName is null || restoreName is null)
        {
            return TaskResult.Terminal("An EXPLICIT rollback needs rollbackContext.rollbackServerGroupName and rollbackContext.restoreServerGroupName");
        }

        var rollback = await target.ServerGroups.GetAsync(target.Account, rollbackName, cancellationToken);
        var restore = await target.ServerGroups.GetAsync(target.Account, restoreName, cancellationToken);
        if (rollback is null || restore is null)
        {
            return TaskResult.Terminal($"Server group '{(rollback is null ? rollbackName : restoreName)}' does not exist in account '{target.Account}'");
        }

        rollbackContext["rollbackServerGroupName"] = rollbackName;
        rollbackContext["restoreServerGroupName"] = restoreName;
        var desired = Math.Max(rollback.Capacity.Desired, restore.Capacity.Desired);
        return TaskResult.Succeeded(new JsonObject
        {
            ["rollbackContext"] = rollbackContext,
            ["restoreCapacity"] = new Capacity(Math.Min(restore.Capacity.Min, desired), Math.Max(restore.Capacity.Max, desired), desired).ToJson(),
            ["cluster"] = rollback.Cluster,
        });
    }
}

using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.CreateServerGroup;

/// <summary>
/// Orca's determineSourceServerGroup: the cluster's current server group (the newest enabled one, else the newest) becomes
/// <c>source {account, serverGroupName, asgName, capacity, enabled}</c>; nothing is written for a new cluster.
/// </summary>
public sealed class DetermineSourceServerGroupTask(CloudProviderRegistry registry) : ITask
{
    public const string SourceKey = "source";

    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(5);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (!CloudStageContext.TryResolve(context, registry, out var target, out var failure))
        {
            return failure!;
        }

        var cluster = CloudStageContext.ClusterName(
            target.Application, context.Context["stack"].AsString(), CreateServerGroupStage.Detail(context.Context));
        var groups = await target.ServerGroups.ListClusterAsync(target.Application, target.Account, cluster, cancellationToken);
        var source = groups.FirstOrDefault(g => g.Enabled) ?? groups.FirstOrDefault();
        var result = new JsonObject { ["cluster"] = cluster };
        if (source is not null)
        {
            result[SourceKey] = new JsonObject
            {
                ["account"] = source.Account,
                ["serverGroupName"] = source.Name,
                ["asgName"] = source.Name,
                ["capacity"] = source.Capacity.ToJson(),
                ["enabled"] = source.Enabled,
            };
        }

        return TaskResult.Succeeded(result);
    }
}

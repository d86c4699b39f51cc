using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.ServerGroups;

/// <summary>
/// Waits until the server group named <c>serverGroupName</c> has exactly its desired number of instances, all healthy
/// (Orca's waitForCapacityMatch). Timeout 10 minutes, or the stage's <c>stageTimeoutMs</c>.
/// </summary>
public sealed class WaitForCapacityTask(CloudProviderRegistry registry) : ITask
{
    public bool TimeoutOverridableByStage => true;

    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(10);

    public TimeSpan Backoff(TaskContext context) => TimeSpan.FromMilliseconds(500);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (!CloudStageContext.TryResolve(context, registry, out var target, out var failure))
        {
            return failure!;
        }

        var name = context.Context[ServerGroupContextKeys.ServerGroupName].AsString() ?? "";
        var group = await target.ServerGroups.GetAsync(target.Account, name, cancellationToken);
        if (group is null)
        {
            return TaskResult.Terminal($"Server group '{name}' no longer exists in account '{target.Account}'");
        }

        var status = new JsonObject
        {
            ["desired"] = group.Capacity.Desired,
            ["healthy"] = group.Instances.Healthy,
            ["total"] = group.Instances.Total,
        };
        return IsSettled(group) ? TaskResult.Succeeded(new JsonObject { ["capacityStatus"] = status }) : TaskResult.Running(new JsonObject { ["capacityStatus"] = status });
    }

    public static bool IsSettled(ServerGroupSummary group) =>
        group.Instances.Healthy >= group.Capacity.Desired && group.Instances.Total <= group.Capacity.Desired;
}

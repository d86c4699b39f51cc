using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.CreateServerGroup;

/// <summary>
/// Waits until every desired instance of the new server group is healthy. Timeout 10 minutes, or the stage's <c>stageTimeoutMs</c>.
/// On timeout the new server group is destroyed and the stage fails: a build that never becomes healthy never takes traffic.
/// </summary>
public sealed class WaitForUpInstancesTask(CloudProviderRegistry registry, ILogger<WaitForUpInstancesTask> logger) : ITask
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    public bool TimeoutOverridableByStage => true;

    public TimeSpan? Timeout(TaskContext context) => DefaultTimeout;

    public TimeSpan Backoff(TaskContext context) => TimeSpan.FromMilliseconds(500);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (!CloudStageContext.TryResolve(context, registry, out var target, out var failure))
        {
            return failure!;
        }

        if (ServerGroupContextKeys.FirstDeployed(context.Context) is not { } deployed)
        {
            return TaskResult.Terminal("No server group to wait for: 'deploy.server.groups' is missing (did createServerGroup run?)");
        }

        var group = await target.ServerGroups.GetAsync(deployed.Account, deployed.ServerGroup, cancellationToken);
        if (group is null)
        {
            return TaskResult.Terminal($"Server group '{deployed.ServerGroup}' disappeared from account '{deployed.Account}' while it was starting");
        }

        var status = new JsonObject { ["desired"] = group.Capacity.Desired, ["healthy"] = group.Instances.Healthy, ["total"] = group.Instances.Total };
        return WaitForCapacityTask.IsSettled(group)
            ? TaskResult.Succeeded(new JsonObject { ["capacityStatus"] = status })
            : TaskResult.Running(new JsonObject { ["capacityStatus"] = status });
    }

    public async Task<TaskResult?> OnTimeoutAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (ServerGroupContextKeys.FirstDeployed(context.Context) is not { } deployed
            || !CloudStageContext.TryResolve(context, registry, out var target, out _))
        {
            return null;
        }

        var group = await target.ServerGroups.GetAsync(deployed.Account, deployed.ServerGroup, cancellationToken);
        var reason = group is null
            ? "it no longer exists"
            : $"{group.Instances.Healthy} of {group.Capacity.Desired} instances healthy when the wait timed out";
        ServerGroupStageLog.DestroyingUnhealthy(logger, context.Execution.Id, context.Stage.Id, deployed.Account, deployed.ServerGroup, reason);
        try
        {
            await target.ServerGroups.DestroyAsync(deployed.Account, deployed.ServerGroup, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ServerGroupStageLog.DestroyUnhealthyFailed(logger, context.Execution.Id, context.Stage.Id, deployed.Account, deployed.ServerGroup, e);
            return TaskResult.Terminal($"Server group {deployed.ServerGroup} did not become healthy ({reason}) and destroying it failed: {e.Message}");
        }

        var result = TaskResult.Terminal(
            $"Server group {deployed.ServerGroup} did not become healthy in time ({reason}); it was destroyed and took no traffic",
            new JsonObject { ["destroyedServerGroup"] = deployed.ServerGroup });
        return result;
    }
}

using Microsoft.Extensions.Logging;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.DisableServerGroup;

/// <summary>Disables <c>serverGroupName</c> after the traffic guard agrees.</summary>
public sealed class DisableServerGroupTask(CloudProviderRegistry registry, ITrafficGuard guard, ILogger<DisableServerGroupTask> logger) : ITask
{
    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(5);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (!CloudStageContext.TryResolve(context, registry, out var target, out var failure))
        {
            return failure!;
        }

        var name = context.Context[ServerGroupContextKeys.ServerGroupName].AsString() ?? "";
        if (await GuardedOperations.RefusalAsync(context, target, new GuardedChange(GuardedChangeKind.Disable, target.Account, name), guard, logger, cancellationToken) is { } refused)
        {
            return refused;
        }

        ServerGroupStageLog.Operation(logger, context.Execution.Id, context.Stage.Id, "disable", target.Account, name);
        await target.ServerGroups.DisableAsync(target.Account, name, cancellationToken);
        return TaskResult.Succeeded(ServerGroupContextKeys.Deployed(target.Account, name));
    }
}

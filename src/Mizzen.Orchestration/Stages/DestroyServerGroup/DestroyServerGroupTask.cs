using Microsoft.Extensions.Logging;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.DestroyServerGroup;

/// <summary>Destroys <c>serverGroupName</c> after the traffic guard agrees; a server group that is already gone counts as destroyed.</summary>
public sealed class DestroyServerGroupTask(CloudProviderRegistry registry, ITrafficGuard guard, ILogger<DestroyServerGroupTask> logger) : ITask
{
    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(10);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (!CloudStageContext.TryResolve(context, registry, out var target, out var failure))
        {
            return failure!;
        }

        var name = context.Context[ServerGroupContextKeys.ServerGroupName].AsString() ?? "";
        if (await GuardedOperations.RefusalAsync(context, target, new GuardedChange(GuardedChangeKind.Destroy, target.Account, name), guard, logger, cancellationToken) is { } refused)
        {
            return refused;
        }

        ServerGroupStageLog.Operation(logger, context.Execution.Id, context.Stage.Id, "destroy", target.Account, name);
        await target.ServerGroups.DestroyAsync(target.Account, name, cancellationToken);
        return TaskResult.Succeeded(ServerGroupContextKeys.Deployed(target.Account, name));
    }
}

using Microsoft.Extensions.Logging;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.EnableServerGroup;

/// <summary>Enables <c>serverGroupName</c> (no guard: enabling only adds capacity).</summary>
public sealed class EnableServerGroupTask(CloudProviderRegistry registry, ILogger<EnableServerGroupTask> logger) : ITask
{
    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(5);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (!CloudStageContext.TryResolve(context, registry, out var target, out var failure))
        {
            return failure!;
        }

        var name = context.Context[ServerGroupContextKeys.ServerGroupName].AsString() ?? "";
        ServerGroupStageLog.Operation(logger, context.Execution.Id, context.Stage.Id, "enable", target.Account, name);
        await target.ServerGroups.EnableAsync(target.Account, name, cancellationToken);
        return TaskResult.Succeeded(ServerGroupContextKeys.Deployed(target.Account, name));
    }
}

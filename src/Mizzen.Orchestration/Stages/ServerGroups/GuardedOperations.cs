using Microsoft.Extensions.Logging;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.ServerGroups;

/// <summary>
/// Asks the traffic guard before a disable, destroy or resize-down of a server group of <paramref name="target"/>'s provider; a refusal
/// becomes a TERMINAL result with the guard's message.
/// </summary>
public static class GuardedOperations
{
    public static async Task<TaskResult?> RefusalAsync(
        TaskContext task, CloudTarget target, GuardedChange change, ITrafficGuard guard, ILogger logger, CancellationToken cancellationToken)
    {
        var decision = await guard.CheckAsync(target.Application, change with { CloudProvider = target.Provider.Name }, cancellationToken);
        if (decision.Allowed)
        {
            return null;
        }

        var reason = decision.Reason ?? $"The traffic guard refused to {change.Kind.ToString().ToLowerInvariant()} {change.ServerGroup}";
        ServerGroupStageLog.GuardRefused(logger, task.Execution.Id, task.Stage.Id, change.Kind.ToString(), change.Account, change.ServerGroup, reason);
        var result = TaskResult.Terminal(reason);
        result.Context!["exception"]!["exceptionType"] = "TrafficGuardException";
        return result;
    }
}

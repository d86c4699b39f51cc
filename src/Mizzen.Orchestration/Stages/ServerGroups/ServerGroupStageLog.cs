using Microsoft.Extensions.Logging;

namespace Mizzen.Orchestration.Stages.ServerGroups;

/// <summary>Log events of the server-group stages (stable ids 3400-3499).</summary>
public static partial class ServerGroupStageLog
{
    [LoggerMessage(EventId = 3401, Level = LogLevel.Information,
        Message = "Stage {StageId} of execution {ExecutionId}: {Operation} server group {ServerGroup} in account {Account}")]
    public static partial void Operation(ILogger logger, string executionId, string stageId, string operation, string account, string serverGroup);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Warning,
        Message = "Stage {StageId} of execution {ExecutionId}: traffic guard refused to {Operation} {ServerGroup} in {Account}: {Reason}")]
    public static partial void GuardRefused(ILogger logger, string executionId, string stageId, string operation, string account, string serverGroup, string reason);

    [LoggerMessage(EventId = 3403, Level = LogLevel.Warning,
        Message = "Stage {StageId} of execution {ExecutionId}: server group {ServerGroup} in {Account} did not become healthy ({Reason}); destroying it")]
    public static partial void DestroyingUnhealthy(ILogger logger, string executionId, string stageId, string account, string serverGroup, string reason);

    [LoggerMessage(EventId = 3404, Level = LogLevel.Error,
        Message = "Stage {StageId} of execution {ExecutionId}: destroying unhealthy server group {ServerGroup} in {Account} failed")]
    public static partial void DestroyUnhealthyFailed(ILogger logger, string executionId, string stageId, string account, string serverGroup, Exception exception);
}

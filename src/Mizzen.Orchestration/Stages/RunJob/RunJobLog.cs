using Microsoft.Extensions.Logging;

namespace Mizzen.Orchestration.Stages.RunJob;

/// <summary>The runJob stage's log events (ids 3501-3509).</summary>
internal static partial class RunJobLog
{
    [LoggerMessage(EventId = 3501, Level = LogLevel.Information,
        Message = "Stage {StageId} of execution {ExecutionId}: started job {JobId} in account {Account} from {Artifact}")]
    public static partial void Started(ILogger logger, string executionId, string stageId, string jobId, string account, string? artifact);

    [LoggerMessage(EventId = 3502, Level = LogLevel.Information,
        Message = "Stage {StageId} of execution {ExecutionId}: job {JobId} finished with exit code {ExitCode} (timed out: {TimedOut})")]
    public static partial void Finished(ILogger logger, string executionId, string stageId, string jobId, int? exitCode, bool timedOut);

    [LoggerMessage(EventId = 3503, Level = LogLevel.Warning,
        Message = "Stage {StageId} of execution {ExecutionId}: job {JobId} ran past its timeout of {Timeout}; killing it")]
    public static partial void TimedOut(ILogger logger, string executionId, string stageId, string jobId, TimeSpan timeout);

    [LoggerMessage(EventId = 3504, Level = LogLevel.Information,
        Message = "Stage {StageId} of execution {ExecutionId}: cancelled, killing job {JobId} in account {Account}")]
    public static partial void Canceling(ILogger logger, string executionId, string stageId, string jobId, string account);
}

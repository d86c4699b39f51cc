using Microsoft.Extensions.Logging;

namespace Mizzen.Providers.Local.Jobs;

/// <summary>The job runner's log events (ids 7180-7189; <see cref="Log.JobFinished"/> is 7111).</summary>
internal static partial class JobLog
{
    [LoggerMessage(7180, LogLevel.Information, "Job {jobId} in account {account} started with pid {pid}")]
    public static partial void Started(ILogger logger, string account, string jobId, int pid);

    [LoggerMessage(7181, LogLevel.Information, "Job {jobId} in account {account} exists already; not started again")]
    public static partial void AlreadyStarted(ILogger logger, string account, string jobId);

    [LoggerMessage(7182, LogLevel.Warning, "Job {jobId} in account {account} was killed (timed out: {timedOut})")]
    public static partial void Killed(ILogger logger, string account, string jobId, bool timedOut);

    [LoggerMessage(7183, LogLevel.Warning, "Job {jobId} in account {account}: its process disappeared without an exit code")]
    public static partial void Lost(ILogger logger, string account, string jobId);

    [LoggerMessage(7184, LogLevel.Information, "Removed the folder of job {jobId} in account {account}, finished more than {retention} ago")]
    public static partial void Removed(ILogger logger, string account, string jobId, TimeSpan retention);

    [LoggerMessage(7185, LogLevel.Warning, "Cleaning up job {jobId} in account {account} failed")]
    public static partial void CleanupFailed(ILogger logger, string account, string jobId, Exception exception);
}

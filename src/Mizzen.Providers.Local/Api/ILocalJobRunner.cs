namespace Mizzen.Providers.Local.Api;

/// <summary>
/// Runs one-off jobs from bundles (runJob) as start + poll. A job runs detached from Mizzen and keeps its state in its folder
/// (<c>&lt;account working folder&gt;/jobs/&lt;job id&gt;</c>), so it runs on while Mizzen restarts and its result is read afterwards.
/// </summary>
public interface ILocalJobRunner
{
    /// <summary>
    /// Unpacks the bundle and starts the job named <see cref="RunJobRequest.JobId"/>; returns once its process runs. Idempotent: a job
    /// of that id that already exists in the account (running or finished) is left alone.
    /// </summary>
    Task StartJobAsync(RunJobRequest request, CancellationToken cancellationToken);

    /// <summary>The job's state; null when the account has no job of that id (never started, or removed a day after it finished).</summary>
    Task<LocalJobStatus?> GetJobAsync(string account, string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Kills a running job's whole process group and records it as finished without an exit code (<see cref="RunJobResult.TimedOut"/>
    /// = <paramref name="timedOut"/>). A no-op when the job is finished or unknown.
    /// </summary>
    Task CancelJobAsync(string account, string jobId, bool timedOut, CancellationToken cancellationToken);
}

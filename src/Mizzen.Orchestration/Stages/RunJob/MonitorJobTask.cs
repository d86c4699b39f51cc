using Microsoft.Extensions.Logging;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.RunJob;

/// <summary>
/// Polls the job that <see cref="RunJobTask"/> started (Orca's monitorJob): RUNNING every <see cref="PollInterval"/> while it runs,
/// then its outputs, SUCCEEDED on exit code 0 and TERMINAL otherwise. Between polls no worker is held, so a long job costs
/// nothing but a poll. The stage's <c>timeout</c> (default 600 s) is this task's <see cref="ITask.Timeout"/>: when it passes, the
/// engine calls <see cref="OnTimeoutAsync"/>, which kills the job and fails the stage with its logs.
/// </summary>
public sealed class MonitorJobTask(CloudProviderRegistry registry, ILogger<MonitorJobTask> logger) : ITask
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public TimeSpan Backoff(TaskContext context) => PollInterval;

    public TimeSpan? Timeout(TaskContext context) => RunJobContext.Timeout(context.Context);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (!TryResolve(context, out var jobs, out var account, out var jobId, out var failure))
        {
            return failure!;
        }

        var status = await jobs.GetAsync(account, jobId, cancellationToken);
        if (status is null)
        {
            return TaskResult.Terminal($"Job {jobId} is unknown to account '{account}' (its files were removed?)");
        }

        return status.Outcome is { } outcome ? Finish(context, outcome, timedOut: outcome.TimedOut) : TaskResult.Running();
    }

    /// <summary>
    /// The job ran past its timeout: kill it and fail with its logs. A job that ended in the meantime is reported as it ended.
    /// </summary>
    public async Task<TaskResult?> OnTimeoutAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (!TryResolve(context, out var jobs, out var account, out var jobId, out var failure))
        {
            return failure;
        }

        if (await jobs.GetAsync(account, jobId, cancellationToken) is { Outcome: { } finished })
        {
            return Finish(context, finished, finished.TimedOut);
        }

        RunJobLog.TimedOut(logger, context.Execution.Id, context.Stage.Id, jobId, RunJobContext.Timeout(context.Context));
        await jobs.CancelAsync(account, jobId, JobKillReason.TimedOut, cancellationToken);
        var outcome = (await jobs.GetAsync(account, jobId, cancellationToken))?.Outcome
                      ?? new JobOutcome(jobId, null, true, "", []);
        return Finish(context, outcome, timedOut: outcome.ExitCode is null);
    }

    private TaskResult Finish(TaskContext context, JobOutcome outcome, bool timedOut)
    {
        RunJobLog.Finished(logger, context.Execution.Id, context.Stage.Id, outcome.JobId, outcome.ExitCode, timedOut);
        return RunJobContext.Finished(outcome, timedOut, RunJobContext.Timeout(context.Context));
    }

    private bool TryResolve(TaskContext context, out IJobRunner jobs, out string account, out string jobId, out TaskResult? failure)
    {
        jobs = default!;
        account = jobId = "";
        failure = null;
        if (RunJobContext.StartedJob(context.Context) is not { } started)
        {
            failure = TaskResult.Terminal("No job to monitor: 'jobId' is missing (did the runJob task run?)");
            return false;
        }

        if (!registry.TryGet(CloudStageContext.CloudProvider(context.Context), out var provider))
        {
            failure = TaskResult.Terminal($"No cloud provider '{CloudStageContext.CloudProvider(context.Context)}' is configured");
            return false;
        }

        (jobs, account, jobId) = (provider.Jobs, started.Account, started.JobId);
        return true;
    }
}

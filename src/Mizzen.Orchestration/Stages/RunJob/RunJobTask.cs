using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.CreateServerGroup;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.RunJob;

/// <summary>
/// Starts the job through the provider's <see cref="IJobRunner"/> and returns at once with <c>jobId</c> and <c>deploy.jobs</c> in the
/// context; <see cref="MonitorJobTask"/> follows it. The job id comes from <see cref="RunJobContext.JobId"/>, so when this task runs
/// twice for one start (Mizzen died before recording the result) the provider sees the same id and starts nothing new.
/// </summary>
public sealed class RunJobTask(CloudProviderRegistry registry, ILogger<RunJobTask> logger) : ITask
{
    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (!CloudStageContext.TryResolve(context, registry, out var target, out var failure))
        {
            return failure!;
        }

        if (ServerGroupSpecReader.Artifact(context) is not { } artifact)
        {
            return TaskResult.Terminal($"Stage '{context.Stage.Name}' needs 'bundle' (a path or URL) or 'artifact' to run");
        }

        var spec = ServerGroupSpecReader.Read(context.Context, target.Application, target.Account, artifact, Capacity.Exactly(1), enabled: true);
        var jobId = RunJobContext.JobId(context.Execution, context.Stage, target.Application);
        await target.Provider.Jobs.StartAsync(new JobSpec
        {
            JobId = jobId,
            Account = target.Account,
            Application = target.Application,
            Artifact = artifact,
            Command = spec.Command,
            Args = spec.Args,
            Env = spec.Env,
        }, cancellationToken);
        RunJobLog.Started(logger, context.Execution.Id, context.Stage.Id, jobId, target.Account, artifact.Reference);
        return TaskResult.Succeeded(new JsonObject
        {
            [RunJobContext.JobIdKey] = jobId,
            [RunJobContext.DeployJobsKey] = new JsonObject { [target.Account] = new JsonArray(jobId) },
        });
    }

    /// <summary>
    /// The run was cancelled while this task was starting the job: its result (the job id) is never recorded, so the stage's own
    /// cancel cannot find the job. The id is derived again here (from the stage as stored) and the job is killed if it started.
    /// </summary>
    public async Task<TaskResult?> OnCancelAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (CloudStageContext.TryResolve(context, registry, out var target, out _))
        {
            var jobId = RunJobContext.JobId(context.Execution, context.Stage, target.Application);
            await target.Provider.Jobs.CancelAsync(target.Account, jobId, JobKillReason.Canceled, cancellationToken);
        }

        return null;
    }
}

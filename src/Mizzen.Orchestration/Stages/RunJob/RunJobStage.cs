using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.RunJob;

/// <summary>
/// <c>runJob</c>: <c>account</c>/<c>credentials</c>, <c>cloudProvider</c>, <c>bundle</c> (path or URL) or <c>artifact</c>, <c>command</c>,
/// <c>args</c>, <c>env</c>, <c>timeout</c> (seconds, default 600). Two tasks, as in Orca: <c>runJob</c> starts the job and records
/// <c>jobId</c> and <c>deploy.jobs</c>; <c>monitorJob</c> polls it until it ends, so no worker waits on a job and a job outlives a
/// restart of Mizzen. Outputs <c>jobStatus{jobId, exitCode, timedOut}</c>, <c>logs</c> (the last 64 KiB), <c>propertyFileContents</c>
/// and each property (from <c>SPINNAKER_PROPERTY_*</c> and <c>SPINNAKER_CONFIG_JSON</c> lines) as a top-level output. A non-zero
/// exit or a timeout (the job is killed) makes the stage TERMINAL; cancelling the stage kills the job; a restart runs a new job.
/// </summary>
public sealed class RunJobStage(CloudProviderRegistry registry, ILogger<RunJobStage> logger) : IStageDefinition
{
    public const string StageType = "runJob";

    private static readonly string[] JobKeys =
        [RunJobContext.JobIdKey, RunJobContext.DeployJobsKey, RunJobContext.JobStatusKey, RunJobContext.LogsKey, RunJobContext.PropertiesKey];

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks)
    {
        tasks.Add<RunJobTask>("runJob");
        tasks.Add<MonitorJobTask>("monitorJob");
    }

    /// <summary>A restart runs a new job (its id comes from the new start time); the previous job's record is cleared.</summary>
    public void PrepareForRestart(StageExecution stage)
    {
        foreach (var key in JobKeys)
        {
            stage.Context.Remove(key);
        }
    }

    /// <summary>Kills the stage's job, if it started one; a finished job is left as it is.</summary>
    public async Task CancelAsync(PipelineExecution execution, StageExecution stage, CancellationToken cancellationToken)
    {
        if (RunJobContext.StartedJob(stage.Context) is not { } job
            || stage.Context[RunJobContext.JobStatusKey] is JsonObject
            || !registry.TryGet(CloudStageContext.CloudProvider(stage.Context), out var provider))
        {
            return;
        }

        RunJobLog.Canceling(logger, execution.Id, stage.Id, job.JobId, job.Account);
        await provider.Jobs.CancelAsync(job.Account, job.JobId, JobKillReason.Canceled, cancellationToken);
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        foreach (var problem in TargetStageValidation.Account(stageConfig, path, StageType))
        {
            yield return problem;
        }

        if (StageConfigChecks.IsMissing(stageConfig["bundle"]) && stageConfig["artifact"] is not JsonObject)
        {
            yield return new ValidationProblem($"{path}.bundle", "required for a 'runJob' stage unless 'artifact' is given: the job's bundle path or URL");
        }

        foreach (var problem in StageConfigChecks.OptionalSeconds(stageConfig, path, "timeout"))
        {
            yield return problem;
        }
    }
}

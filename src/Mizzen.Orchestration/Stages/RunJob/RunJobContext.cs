using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.RunJob;

/// <summary>
/// What the runJob tasks share: the job id, the context keys they write, the timeout, and how a finished job becomes the stage's
/// outputs (<c>jobStatus</c>, <c>logs</c>, <c>propertyFileContents</c>, each property) and errors.
/// </summary>
public static class RunJobContext
{
    /// <summary>The job's id, written by runJob and read by monitorJob and on cancel.</summary>
    public const string JobIdKey = "jobId";

    /// <summary>Orca's <c>deploy.jobs</c>: <c>{"&lt;account&gt;": ["&lt;job id&gt;"]}</c>; it keeps the resolved account for a cancel.</summary>
    public const string DeployJobsKey = "deploy.jobs";

    public const string JobStatusKey = "jobStatus";
    public const string LogsKey = "logs";
    public const string PropertiesKey = "propertyFileContents";

    public const int MaxLogChars = 64 * 1024;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// <c>{application}-job-{10 hex}</c>: the hex is a hash of the execution, the stage and the stage's start time. A redelivered
    /// runJob message sees the same three (same job, started once); a restarted stage has a new start time (a new job).
    /// </summary>
    public static string JobId(PipelineExecution execution, StageExecution stage, string application)
    {
        var seed = $"{execution.Id}/{stage.Id}/{stage.StartTime ?? 0}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..10];
        return $"{Slug(application)}-job-{hash}";
    }

    public static TimeSpan Timeout(JsonObject context) =>
        context["timeout"].AsDouble() is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : DefaultTimeout;

    /// <summary>The account and job id the runJob task recorded, or null before it ran.</summary>
    public static (string Account, string JobId)? StartedJob(JsonObject context) =>
        context[JobIdKey].AsString() is { Length: > 0 } jobId && context[DeployJobsKey] is JsonObject jobs && jobs.FirstOrDefault() is { Key: { Length: > 0 } account }
            ? (account, jobId)
            : null;

    /// <summary>The stage's result for a finished job: SUCCEEDED on exit code 0, else TERMINAL with the reason.</summary>
    public static TaskResult Finished(JobOutcome outcome, bool timedOut, TimeSpan timeout)
    {
        var logs = outcome.Output.Length > MaxLogChars ? outcome.Output[^MaxLogChars..] : outcome.Output;
        var outputs = new JsonObject();
        foreach (var (key, value) in outcome.Properties)
        {
            outputs[key] = value?.DeepClone();
        }

        outputs[PropertiesKey] = outcome.Properties.DeepClone();
        outputs[JobStatusKey] = new JsonObject { ["jobId"] = outcome.JobId, ["exitCode"] = outcome.ExitCode, ["timedOut"] = timedOut };
        outputs[LogsKey] = logs;
        var contextUpdate = (JsonObject)outputs.DeepClone();
        if (outcome.ExitCode == 0)
        {
            return TaskResult.Succeeded(contextUpdate, outputs);
        }

        var error = timedOut ? $"Job {outcome.JobId} did not finish within {timeout.TotalSeconds:0.#}s and was killed"
            : outcome.ExitCode is { } code ? $"Job {outcome.JobId} exited with code {code}"
            : $"Job {outcome.JobId} ended without an exit code (killed, or its process was lost; see the logs)";
        contextUpdate["exception"] = TaskFailure.ExceptionJson("Task failed", [error]);
        return new TaskResult(ExecutionStatus.Terminal, contextUpdate, outputs);
    }

    private static string Slug(string application)
    {
        var slug = new StringBuilder(application.Length);
        foreach (var c in application.ToLowerInvariant())
        {
            slug.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '-');
        }

        var text = slug.ToString().Trim('-');
        text = text.Length > 40 ? text[..40].TrimEnd('-') : text;
        return text.Length == 0 ? "job" : text;
    }
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.CreateServerGroup;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.RunJob;

/// <summary>Runs the job through the provider's <see cref="IJobRunner"/> and reports exit code, logs and properties.</summary>
public sealed class RunJobTask(CloudProviderRegistry registry, ILogger<RunJobTask> logger) : ITask
{
    public const int MaxLogChars = 64 * 1024;

    public TimeSpan? Timeout(TaskContext context) => JobTimeout(context) + TimeSpan.FromMinutes(1);

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
        ServerGroupStageLog.Operation(logger, context.Execution.Id, context.Stage.Id, "run job from", target.Account, artifact.Reference);
        var outcome = await target.Provider.Jobs.RunAsync(new JobSpec
        {
            Account = target.Account,
            Application = target.Application,
            Artifact = artifact,
            Command = spec.Command,
            Args = spec.Args,
            Env = spec.Env,
            Timeout = JobTimeout(context),
        }, cancellationToken);

        var logs = outcome.Output.Length > MaxLogChars ? outcome.Output[^MaxLogChars..] : outcome.Output;
        var outputs = new JsonObject();
        foreach (var (key, value) in outcome.Properties)
        {
            outputs[key] = value?.DeepClone();
        }

        outputs["propertyFileContents"] = outcome.Properties.DeepClone();
        outputs["jobStatus"] = new JsonObject { ["jobId"] = outcome.JobId, ["exitCode"] = outcome.ExitCode, ["timedOut"] = outcome.TimedOut };
        outputs["logs"] = logs;
        var contextUpdate = (JsonObject)outputs.DeepClone();
        if (outcome.ExitCode == 0)
        {
            return TaskResult.Succeeded(contextUpdate, outputs);
        }

        var error = outcome.TimedOut
            ? $"Job {outcome.JobId} did not finish within {JobTimeout(context).TotalSeconds:0.#}s and was killed"
            : $"Job {outcome.JobId} exited with code {outcome.ExitCode}";
        contextUpdate["exception"] = TaskFailure.ExceptionJson("Task failed", [error]);
        return new TaskResult(ExecutionStatus.Terminal, contextUpdate, outputs);
    }

    private static TimeSpan JobTimeout(TaskContext context) =>
        context.Context["timeout"].AsDouble() is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(10);
}

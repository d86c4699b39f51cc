using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Manifests;
using Mizzen.Providers.Kubernetes.Stages.Operations;

namespace Mizzen.Providers.Kubernetes.Stages.RunJobManifest;

/// <summary>
/// Orca's <c>WaitOnJobCompletion</c>: reads the Job from the account's watch cache until it has succeeded (<c>succeeded ≥
/// completions</c>) or failed (condition <c>Failed=True</c>), then reads its pod's log once and outputs <c>jobStatus</c> (name,
/// namespace, pod, exit code, message), <c>logs</c> (the last 64 KiB), and with <c>consumeArtifactSource</c> the properties (each as a
/// top-level output and all in <c>propertyFileContents</c>). A failed Job makes the stage TERMINAL with the Job's message and the
/// container's exit code and reason.
/// </summary>
public sealed class WaitOnJobCompletionTask(KubernetesAccounts accounts, IArtifactFetcher fetcher) : ITask
{
    public const int MaxLogChars = 64 * 1024;

    public TimeSpan Backoff(TaskContext context) => TimeSpan.FromSeconds(5);

    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromHours(2);

    public bool TimeoutOverridableByStage => true;

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (JobContext.Started(context.Context) is not { } started)
        {
            return TaskResult.Terminal("runJobManifest: no Job was started (the runJob task recorded none)");
        }

        try
        {
            var account = accounts.Get(started.Account);
            var ns = started.Key.Namespace!;
            var job = await account.Cache.GetAsync("Job", ns, started.Key.Name, cancellationToken)
                      ?? await account.Client.GetAsync(started.Key, cancellationToken);
            if (job is null)
            {
                return TaskResult.Terminal($"runJobManifest: job {started.Key.Name} in {ns} was deleted before it finished");
            }

            var state = JobState(job);
            if (state is null)
            {
                return TaskResult.Running();
            }

            var pods = (await account.Client.ListAsync("v1", "Pod", ns, $"job-name={started.Key.Name}", cancellationToken: cancellationToken)).Items;
            var pod = Pick(pods, state.Value.Succeeded);
            var container = LogContainer(context.Context, pod);
            var log = pod is null || container is null ? "" : await account.Client.ReadLogAsync(ns, new KubernetesManifest(pod).Name, container, null, cancellationToken);
            var exit = pod is null || container is null ? null : Terminated(pod, container);
            var status = new JsonObject
            {
                ["name"] = started.Key.Name,
                ["namespace"] = ns,
                ["account"] = account.Name,
                ["status"] = state.Value.Succeeded ? "SUCCEEDED" : "TERMINAL",
                ["pod"] = pod is null ? null : new KubernetesManifest(pod).Name,
                ["container"] = container,
                ["exitCode"] = exit?["exitCode"].AsLong(),
                ["message"] = state.Value.Message,
            };
            var outputs = new JsonObject
            {
                [JobContext.JobStatusKey] = status,
                [JobContext.LogsKey] = log.Length > MaxLogChars ? log[^MaxLogChars..] : log,
            };
            if (state.Value.Succeeded)
            {
                var properties = await PropertiesAsync(context, account, ns, log, cancellationToken);
                if (properties is not null)
                {
                    foreach (var (key, value) in properties)
                    {
                        outputs[key] = value?.DeepClone();
                    }

                    outputs[JobContext.PropertiesKey] = properties;
                }

                return TaskResult.Succeeded((JsonObject)outputs.DeepClone(), outputs);
            }

            var reason = exit is null ? "" : $"; container {container} exited with code {exit["exitCode"].AsLong()}{(exit["reason"].AsString() is { } r ? $" ({r})" : "")}";
            var contextUpdate = (JsonObject)outputs.DeepClone();
            contextUpdate["exception"] = TaskFailure.ExceptionJson("Task failed", [$"Job {started.Key.Name} in {ns} failed: {state.Value.Message ?? "no message"}{reason}"]);
            return new TaskResult(ExecutionStatus.Terminal, contextUpdate, outputs);
        }
        catch (MizzenException e) when (!e.IsTransient)
        {
            return TaskResult.Terminal($"runJobManifest: {e.Message}");
        }
    }

    /// <summary>(succeeded, message) once the Job has finished; null while it runs.</summary>
    internal static (bool Succeeded, string? Message)? JobState(JsonObject job)
    {
        var status = job["status"] as JsonObject;
        var completions = job["spec"]?["completions"].AsLong() ?? 1;
        if ((status?["succeeded"].AsLong() ?? 0) >= completions)
        {
            return (true, null);
        }

        var failed = (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(c => c["type"].AsString() == "Failed" && c["status"].AsString() == "True");
        return failed is null ? null : (false, failed["message"].AsString() ?? failed["reason"].AsString());
    }

    /// <summary>The pod whose log tells the story: the newest succeeded one after success, else the newest.</summary>
    private static JsonObject? Pick(IReadOnlyList<JsonObject> pods, bool succeeded)
    {
        var ordered = pods.OrderByDescending(p => p["metadata"]?["creationTimestamp"].AsString(), StringComparer.Ordinal).ToList();
        return (succeeded ? ordered.FirstOrDefault(p => p["status"]?["phase"].AsString() == "Succeeded") : null) ?? ordered.FirstOrDefault();
    }

    /// <summary>The <c>propertyFile</c> container when it names one of the pod's, else the pod's first container.</summary>
    private static string? LogContainer(JsonObject context, JsonObject? pod)
    {
        var names = (pod?["spec"]?["containers"] as JsonArray ?? []).Select(c => c?["name"].AsString()).OfType<string>().ToList();
        var wanted = context["propertyFile"].AsString();
        return wanted is not null && names.Contains(wanted) ? wanted : names.FirstOrDefault();
    }

    private static JsonObject? Terminated(JsonObject pod, string container)
    {
        var status = (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(s => s["name"].AsString() == container);
        return status?["state"]?["terminated"] as JsonObject ?? status?["lastState"]?["terminated"] as JsonObject;
    }

    private async Task<JsonObject?> PropertiesAsync(TaskContext context, KubernetesAccount account, string ns, string log, CancellationToken cancellationToken)
    {
        switch (context.Context["consumeArtifactSource"].AsString()?.ToLowerInvariant())
        {
            case "propertyfile":
                var file = context.Context["propertyFile"].AsString() ?? "";
                var parts = file.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (parts.Length == 2 && parts[0].Equals("configMap", StringComparison.OrdinalIgnoreCase))
                {
                    var configMap = await account.Client.GetAsync(ManifestTarget.CoreKey("ConfigMap", ns, parts[1]), cancellationToken)
                                    ?? throw new ValidationException("propertyFile", $"configMap {parts[1]} in {ns} does not exist: the job was to write its properties there");
                    return PropertyFiles.FromConfigMap(configMap);
                }

                return JobOutputParser.ParseToJson(log);
            case "artifact":
                var id = context.Context["consumeArtifactId"].AsString() ?? "";
                var artifact = StageArtifactBinding.BoundArtifactForId(context.Execution, context.Stage, id)
                               ?? throw new ValidationException("consumeArtifactId", $"expected artifact '{id}' is not bound");
                artifact = (JsonObject)artifact.DeepClone();
                if (context.Context["consumeArtifactAccount"].AsString() is { Length: > 0 } artifactAccount)
                {
                    artifact["artifactAccount"] = artifactAccount;
                }

                var text = (await fetcher.FetchAsync(artifact, cancellationToken)).Text;
                return PropertyFiles.JsonObjectOrNull(text) ?? throw new ValidationException("consumeArtifactId", $"artifact '{id}' is not a JSON object");
            default:
                return null;
        }
    }
}

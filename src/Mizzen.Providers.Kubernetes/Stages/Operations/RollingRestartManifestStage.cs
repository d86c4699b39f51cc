using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Api;

namespace Mizzen.Providers.Kubernetes.Stages.Operations;

/// <summary>
/// <c>rollingRestartManifest</c>: <c>kubectl rollout restart</c> of a Deployment, StatefulSet or DaemonSet — the pod template gets
/// the annotation <c>kubectl.kubernetes.io/restartedAt</c> with the current time, which rolls every pod — then waits until stable.
/// </summary>
public sealed class RollingRestartManifestStage : IStageDefinition
{
    public const string StageType = "rollingRestartManifest";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks)
    {
        tasks.Add<RollingRestartManifestTask>("rollingRestartManifest");
        ManifestStability.Add(tasks);
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path) => ManifestTarget.Validate(stageConfig, path, StageType);
}

/// <summary>One strategic merge patch of the template annotation, timed by the injected clock.</summary>
public sealed class RollingRestartManifestTask(KubernetesAccounts accounts) : ITask
{
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        try
        {
            var target = await ManifestTarget.ResolveAsync(context, accounts, cancellationToken);
            if (target.Kind.Kind is not ("Deployment" or "StatefulSet" or "DaemonSet"))
            {
                throw new ValidationException("manifestName", $"{target.FullName}: only a Deployment, StatefulSet or DaemonSet can be restarted");
            }

            var now = context.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var patch = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [RestartedAtAnnotation] = now } } },
                },
            };
            var patched = await target.Account.Client.PatchAsync(target.Key, PatchType.StrategicMerge, patch, cancellationToken);
            target.Account.Cache.Upsert(patched);
            var outputs = target.Outputs(patched);
            outputs["restartedAt"] = now;
            return TaskResult.Succeeded((JsonObject)outputs.DeepClone(), outputs);
        }
        catch (MizzenException e) when (!e.IsTransient)
        {
            return TaskResult.Terminal($"rollingRestartManifest: {e.Message}");
        }
    }
}

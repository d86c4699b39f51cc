using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Api;

namespace Mizzen.Providers.Kubernetes.Stages.Operations;

/// <summary>
/// <c>scaleManifest</c>: sets <c>replicas</c> of a Deployment, ReplicaSet or StatefulSet in <c>location</c> through its <c>/scale</c>
/// subresource (<c>kubectl scale --replicas</c>), then waits until stable.
/// </summary>
public sealed class ScaleManifestStage : IStageDefinition
{
    public const string StageType = "scaleManifest";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks)
    {
        tasks.Add<ScaleManifestTask>("scaleManifest");
        ManifestStability.Add(tasks);
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        foreach (var problem in ManifestTarget.Validate(stageConfig, path, StageType))
        {
            yield return problem;
        }

        var replicas = stageConfig["replicas"];
        if (replicas is null)
        {
            yield return new ValidationProblem($"{path}.replicas", $"required for a '{StageType}' stage: the number of replicas");
        }
        else if (!(replicas.AsString()?.Contains("${", StringComparison.Ordinal) ?? false) && ScaleManifestTask.Replicas(replicas) is null)
        {
            yield return new ValidationProblem($"{path}.replicas", $"must be a whole number of replicas, 0 or more, got {replicas.ToJsonString()}");
        }
    }
}

/// <summary>
/// One merge patch of <c>spec.replicas</c> on the <c>/scale</c> subresource, after the traffic guard allowed it (a scale that would leave a
/// guarded cluster with no pods up is refused, see <see cref="ManifestTrafficGuard"/>).
/// </summary>
public sealed class ScaleManifestTask(KubernetesAccounts accounts, ITrafficGuard guard, ILogger<ScaleManifestTask> logger) : ITask
{
    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        try
        {
            var target = await ManifestTarget.ResolveAsync(context, accounts, cancellationToken);
            if (!target.Kind.CanScale)
            {
                throw new ValidationException("manifestName", $"{target.FullName}: only a Deployment, ReplicaSet or StatefulSet can be scaled");
            }

            var replicas = Replicas(context.Context["replicas"])
                           ?? throw new ValidationException("replicas", $"must be a whole number of replicas, 0 or more, got {context.Context["replicas"]?.ToJsonString() ?? "nothing"}");
            if (await ManifestTrafficGuard.RefusalAsync(context, guard, target.Account, [target.Key], GuardedChangeKind.Resize, replicas, logger, cancellationToken) is { } refused)
            {
                return refused;
            }

            await target.Account.Client.PatchAsync(target.Key, PatchType.Merge, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }, cancellationToken, subresource: "scale");
            var live = await target.GetAsync(cancellationToken);
            target.Account.Cache.Upsert(live);
            var outputs = target.Outputs(live);
            outputs["replicas"] = replicas;
            return TaskResult.Succeeded((JsonObject)outputs.DeepClone(), outputs);
        }
        catch (MizzenException e) when (!e.IsTransient)
        {
            return TaskResult.Terminal($"scaleManifest: {e.Message}");
        }
    }

    /// <summary>A non-negative whole number, or a string holding one (Deck sends strings); null otherwise.</summary>
    internal static int? Replicas(JsonNode? node)
    {
        var value = node.AsDouble();
        if (value is null && node.AsString() is { } text && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
        }

        return value is { } v && v >= 0 && v <= int.MaxValue && Math.Floor(v) == v ? (int)v : null;
    }
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages.Operations;

/// <summary>
/// <c>enableManifest</c>: the workload <c>manifestName</c> gets traffic from its load balancers again — the Services' selector labels are
/// added to its pod template and to each of its pods, so the Services select it at once (clouddriver's enable). The load balancers are
/// the stage's <c>loadBalancers</c> (<c>["service web"]</c>), else the workload's <c>traffic.spinnaker.io/load-balancers</c>.
/// </summary>
public sealed class EnableManifestStage : IStageDefinition
{
    public const string StageType = "enableManifest";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks)
    {
        tasks.Add<EnableManifestTask>("enableManifest");
        ManifestStability.Add(tasks);
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path) => ManifestTarget.Validate(stageConfig, path, StageType);
}

/// <summary><c>disableManifest</c>: the opposite of <see cref="EnableManifestStage"/> — the selector labels are removed, so no Service routes to it.</summary>
public sealed class DisableManifestStage : IStageDefinition
{
    public const string StageType = "disableManifest";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks)
    {
        tasks.Add<DisableManifestTask>("disableManifest");
        ManifestStability.Add(tasks);
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path) => ManifestTarget.Validate(stageConfig, path, StageType);
}

public sealed class EnableManifestTask(KubernetesAccounts accounts) : ITask
{
    public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) => TrafficTask.RunAsync(context, accounts, null, cancellationToken);
}

/// <summary>Asks the traffic guard first (<see cref="ManifestTrafficGuard"/>): disabling the last pods up of a guarded cluster is refused.</summary>
public sealed class DisableManifestTask(KubernetesAccounts accounts, ITrafficGuard guard, ILogger<DisableManifestTask> logger) : ITask
{
    public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) =>
        TrafficTask.RunAsync(context, accounts, (target, ct) => ManifestTrafficGuard.RefusalAsync(context, guard, target.Account, [target.Key], GuardedChangeKind.Disable, null, logger, ct), cancellationToken);
}

/// <summary>What enable and disable share: find the workload, its Services and its own pods, then add or remove the labels.</summary>
internal static class TrafficTask
{
    /// <param name="disableGuard">Null to enable; to disable, the traffic guard's check (a result refuses).</param>
    public static async Task<TaskResult> RunAsync(
        TaskContext context, KubernetesAccounts accounts, Func<ManifestTarget, CancellationToken, Task<TaskResult?>>? disableGuard, CancellationToken cancellationToken)
    {
        var enable = disableGuard is null;
        var verb = enable ? "enableManifest" : "disableManifest";
        try
        {
            var target = await ManifestTarget.ResolveAsync(context, accounts, cancellationToken);
            if (!target.Kind.CanReceiveTraffic)
            {
                throw new ValidationException("manifestName", $"{target.FullName} cannot receive traffic: enable and disable apply to workloads and pods");
            }

            if (disableGuard is not null && await disableGuard(target, cancellationToken) is { } refused)
            {
                return refused;
            }

            var workload = new KubernetesManifest(await target.GetAsync(cancellationToken));
            var names = StageLoadBalancers(context.Context) is { Count: > 0 } listed ? listed : ServiceSelectorTraffic.LoadBalancers(workload);
            if (names.Count == 0)
            {
                throw new ValidationException("loadBalancers", $"{target} names no load balancers (annotation {KubernetesAnnotations.LoadBalancers}) and the stage lists none");
            }

            var services = new List<JsonObject>();
            foreach (var name in names)
            {
                services.Add(await target.Account.Client.GetAsync(ManifestTarget.CoreKey("Service", target.Namespace, name), cancellationToken)
                             ?? throw new NotFoundException($"service {name} in {target.Namespace} (account {target.Account.Name}) does not exist"));
            }

            var pods = await OwnedPodsAsync(target, workload, cancellationToken);
            var patched = await ServiceSelectorTraffic.SetAsync(target.Account, workload, services, pods, enable, cancellationToken);
            var live = await target.GetAsync(cancellationToken);
            var outputs = target.Outputs(live);
            outputs["loadBalancers"] = new JsonArray([.. names.Select(n => (JsonNode?)$"service {n}")]);
            outputs["patchedObjects"] = patched;
            return TaskResult.Succeeded((JsonObject)outputs.DeepClone(), outputs);
        }
        catch (MizzenException e) when (!e.IsTransient)
        {
            return TaskResult.Terminal($"{verb}: {e.Message}");
        }
    }

    /// <summary>The stage's <c>loadBalancers</c> as Service names (<c>"service web"</c> or <c>"web"</c>).</summary>
    private static List<string> StageLoadBalancers(JsonObject context)
    {
        var names = new List<string>();
        foreach (var entry in (context["loadBalancers"] as JsonArray ?? []).Select(n => n.AsString()).OfType<string>())
        {
            var parts = entry.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && !parts[0].Equals("service", StringComparison.OrdinalIgnoreCase))
            {
                throw new ValidationException("loadBalancers", $"'{entry}': only Services ('service <name>') route traffic by selector");
            }

            names.Add(parts[^1]);
        }

        return names;
    }

    /// <summary>
    /// Pods the workload owns directly (a ReplicaSet's, a StatefulSet's, a DaemonSet's), patched one by one so traffic moves now; a
    /// Deployment's pods belong to its ReplicaSets, and its template change rolls them.
    /// </summary>
    private static async Task<IReadOnlyList<JsonObject>> OwnedPodsAsync(ManifestTarget target, KubernetesManifest workload, CancellationToken cancellationToken)
    {
        if (workload.Kind is "Pod" or "Deployment")
        {
            return [];
        }

        var pods = await target.Account.Client.ListAsync("v1", "Pod", target.Namespace, UndoRolloutManifestTask.LabelSelector(workload.Spec?["selector"] as JsonObject), cancellationToken: cancellationToken);
        return [.. pods.Items.Where(p => (p["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(o => o?["uid"].AsString() == workload.Uid))];
    }
}

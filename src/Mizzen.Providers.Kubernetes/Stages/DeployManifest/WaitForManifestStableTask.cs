using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages.DeployManifest;

/// <summary>
/// Orca's <c>WaitForManifestStableTask</c>: every manifest in <c>outputs.manifestNamesByNamespace</c> must be stable by its kind's rule
/// (<see cref="ManifestStatus"/>). Each poll reads the account's list+watch cache — no API request — so a rollout is followed by the
/// cache's watch, not by GETs. A manifest that fails (progress deadline exceeded, Job failed) ends the stage at once; one that is
/// still unstable when the task times out (30 min, or the stage's <c>stageTimeoutMs</c>) ends it with what its pods report: which pod,
/// which container, which reason (image pull, crash loop …). While it waits, <c>stableMessages</c> says what it waits for.
/// </summary>
public sealed class WaitForManifestStableTask(KubernetesAccounts accounts) : ITask
{
    public TimeSpan Backoff(TaskContext context) => TimeSpan.FromSeconds(5);

    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(30);

    public bool TimeoutOverridableByStage => true;

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var check = await CheckAsync(context, cancellationToken);
        if (check.Failure is { } failure)
        {
            return TaskResult.Terminal($"Stage '{context.Stage.Name}': {failure}");
        }

        return check.Waiting.Count == 0
            ? TaskResult.Succeeded(new JsonObject { ["stableManifests"] = check.Stable })
            : TaskResult.Running(new JsonObject { ["stableMessages"] = new JsonArray([.. check.Waiting.Select(w => (JsonNode?)w)]) });
    }

    public async Task<TaskResult?> OnTimeoutAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var check = await CheckAsync(context, cancellationToken);
        var why = check.Failure ?? (check.Waiting.Count == 0 ? "timed out" : string.Join("; ", check.Waiting));
        return TaskResult.Terminal($"Stage '{context.Stage.Name}': manifests did not become stable in time: {why}");
    }

    private async Task<StabilityCheck> CheckAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var account = ManifestStageContext.Account(context, accounts);
        var waiting = new List<string>();
        var stable = new JsonArray();
        foreach (var (ns, fullName) in ManifestStageContext.ReadNamesByNamespace(context.Get(ManifestStageContext.ManifestNamesByNamespaceKey)))
        {
            var (kind, name) = ManifestStageContext.ParseManifestName(fullName, ManifestStageContext.ManifestNamesByNamespaceKey);
            var obj = await account.Cache.GetAsync(kind.Kind, kind.Namespaced ? ns : null, name, cancellationToken);
            if (obj is null)
            {
                waiting.Add($"{fullName} in {ns}: not found");
                continue;
            }

            var status = ManifestStatus.Of(obj);
            var problems = kind.HasPodTemplate || kind.Kind == "Pod"
                ? PodDiagnostics.Problems(PodDiagnostics.PodsOf(new KubernetesManifest(obj), await account.Cache.ListAsync("Pod", ns, cancellationToken)))
                : [];
            var detail = problems.Count == 0 ? "" : " — " + string.Join("; ", problems);
            if (status.Failed)
            {
                return new StabilityCheck([], stable, $"{fullName} in {ns} failed: {status.Message}{detail}");
            }

            if (status.Stable)
            {
                stable.Add(new JsonObject { ["location"] = ns, ["manifestName"] = fullName });
            }
            else
            {
                waiting.Add($"{fullName} in {ns}: {status.Message}{detail}");
            }
        }

        return new StabilityCheck(waiting, stable, null);
    }

    private sealed record StabilityCheck(IReadOnlyList<string> Waiting, JsonArray Stable, string? Failure);
}

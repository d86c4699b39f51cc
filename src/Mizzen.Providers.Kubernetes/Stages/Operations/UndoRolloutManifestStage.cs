using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Api;
using Mizzen.Providers.Kubernetes.Operations;

namespace Mizzen.Providers.Kubernetes.Stages.Operations;

/// <summary>
/// <c>undoRolloutManifest</c>: rolls a Deployment, StatefulSet or DaemonSet back to <c>revision</c>, or <c>numRevisionsBack</c>
/// revisions before the newest, as <c>kubectl rollout undo --to-revision</c> does. A Deployment's ReplicaSets carry their revision in
/// <c>deployment.kubernetes.io/revision</c>, and the chosen one's pod template (without <c>pod-template-hash</c>) replaces the
/// Deployment's; a StatefulSet's or DaemonSet's history is its ControllerRevisions, and the chosen one's data (a strategic merge patch
/// replacing the pod template) is sent back. Either way the workload rolls that template out again. Then waits until stable.
/// </summary>
public sealed class UndoRolloutManifestStage : IStageDefinition
{
    public const string StageType = "undoRolloutManifest";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks)
    {
        tasks.Add<UndoRolloutManifestTask>("undoRolloutManifest");
        ManifestStability.Add(tasks);
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        foreach (var problem in ManifestTarget.Validate(stageConfig, path, StageType))
        {
            yield return problem;
        }

        if (stageConfig["revision"] is null && stageConfig["numRevisionsBack"] is null)
        {
            yield return new ValidationProblem($"{path}.numRevisionsBack", $"a '{StageType}' stage needs 'numRevisionsBack' (1 = the previous revision) or 'revision'");
        }
    }
}

/// <summary>
/// Lists the Deployment's ReplicaSets (one LIST by its selector), picks the revision, and JSON-patches the template back; for a
/// StatefulSet or DaemonSet lists its ControllerRevisions instead and strategic-merge-patches the chosen one's data back.
/// </summary>
public sealed class UndoRolloutManifestTask(KubernetesAccounts accounts) : ITask
{
    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        try
        {
            var target = await ManifestTarget.ResolveAsync(context, accounts, cancellationToken);
            var keepsControllerRevisions = ControllerRevisionHistory.Keeps(target.Kind.Kind);
            if (!keepsControllerRevisions && target.Kind.Kind != "Deployment")
            {
                throw new ValidationException("manifestName", $"{target.FullName}: only a Deployment, StatefulSet or DaemonSet has a rollout history to undo");
            }

            var workload = await target.GetAsync(cancellationToken);
            var history = keepsControllerRevisions
                ? await ControllerRevisionsAsync(target, workload, cancellationToken)
                : await ReplicaSetsAsync(target, workload, cancellationToken);
            var revision = RolloutRevisions.Pick(
                history.Select(h => h.Revision),
                context.Context["revision"].AsLong(),
                (int?)context.Context["numRevisionsBack"].AsLong(),
                target.FullName);
            var from = history.First(h => h.Revision == revision).Source;
            var patched = keepsControllerRevisions
                ? await target.Account.Client.PatchAsync(target.Key, PatchType.StrategicMerge, ControllerRevisionHistory.RestorePatch(from, target.FullName), cancellationToken)
                : await target.Account.Client.PatchAsync(target.Key, PatchType.Json,
                    new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/spec/template", ["value"] = RolloutRevisions.TemplateOf(from) }), cancellationToken);
            target.Account.Cache.Upsert(patched);
            var outputs = target.Outputs(patched);
            outputs["revision"] = revision;
            outputs["rolledBackTo"] = from["metadata"]?["name"].AsString();
            return TaskResult.Succeeded((JsonObject)outputs.DeepClone(), outputs);
        }
        catch (MizzenException e) when (!e.IsTransient)
        {
            return TaskResult.Terminal($"undoRolloutManifest: {e.Message}");
        }
    }

    /// <summary>A Deployment's history: the ReplicaSets it owns (one LIST by its selector), by <c>deployment.kubernetes.io/revision</c>.</summary>
    private static async Task<List<(long Revision, JsonObject Source)>> ReplicaSetsAsync(ManifestTarget target, JsonObject deployment, CancellationToken cancellationToken)
    {
        var uid = deployment["metadata"]?["uid"].AsString();
        var listed = await target.Account.Client.ListAsync("apps/v1", "ReplicaSet", target.Namespace, LabelSelector(deployment["spec"]?["selector"] as JsonObject), cancellationToken: cancellationToken);
        return [.. listed.Items
            .Where(rs => (rs["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(o => o?["uid"].AsString() == uid))
            .Where(rs => RolloutRevisions.Of(rs) is not null)
            .Select(rs => (RolloutRevisions.Of(rs)!.Value, rs))];
    }

    /// <summary>A StatefulSet's or DaemonSet's history: the ControllerRevisions it controls (one LIST by its selector), by <c>.revision</c>.</summary>
    private static async Task<List<(long Revision, JsonObject Source)>> ControllerRevisionsAsync(ManifestTarget target, JsonObject workload, CancellationToken cancellationToken)
    {
        var listed = await target.Account.Client.ListAsync(
            ControllerRevisionHistory.ApiVersion, ControllerRevisionHistory.Kind, target.Namespace, LabelSelector(workload["spec"]?["selector"] as JsonObject), cancellationToken: cancellationToken);
        return [.. ControllerRevisionHistory.ControlledBy(listed.Items, workload["metadata"]?["uid"].AsString()).Select(r => (ControllerRevisionHistory.Of(r)!.Value, r))];
    }

    /// <summary><c>spec.selector.matchLabels</c> as a label selector string (<c>a=b,c=d</c>); expressions are left to the owner check.</summary>
    internal static string? LabelSelector(JsonObject? selector)
    {
        var labels = (selector?["matchLabels"] as JsonObject ?? []).Select(p => $"{p.Key}={p.Value.AsString()}").ToList();
        return labels.Count == 0 ? null : string.Join(',', labels);
    }
}

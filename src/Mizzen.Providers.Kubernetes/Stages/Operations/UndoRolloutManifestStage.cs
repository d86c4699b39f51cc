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
/// <c>undoRolloutManifest</c>: rolls a Deployment back to <c>revision</c>, or <c>numRevisionsBack</c> revisions before the newest, as
/// <c>kubectl rollout undo --to-revision</c> does: the ReplicaSets the Deployment owns carry their revision in
/// <c>deployment.kubernetes.io/revision</c>; the chosen one's pod template (without <c>pod-template-hash</c>) replaces the Deployment's,
/// which makes the Deployment roll out that template again. Then waits until stable.
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

/// <summary>Lists the Deployment's ReplicaSets (one LIST by its selector), picks the revision, and JSON-patches the template back.</summary>
public sealed class UndoRolloutManifestTask(KubernetesAccounts accounts) : ITask
{
    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        try
        {
            var target = await ManifestTarget.ResolveAsync(context, accounts, cancellationToken);
            if (target.Kind.Kind != "Deployment")
            {
                throw new ValidationException("manifestName", $"{target.FullName}: Mizzen rolls back Deployments (by their ReplicaSets' revisions); roll a StatefulSet or DaemonSet back by deploying its previous manifest");
            }

            var deployment = await target.GetAsync(cancellationToken);
            var uid = deployment["metadata"]?["uid"].AsString();
            var selector = LabelSelector(deployment["spec"]?["selector"] as JsonObject);
            var owned = (await target.Account.Client.ListAsync("apps/v1", "ReplicaSet", target.Namespace, selector, cancellationToken: cancellationToken)).Items
                .Where(rs => (rs["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(o => o?["uid"].AsString() == uid))
                .Where(rs => RolloutRevisions.Of(rs) is not null)
                .ToList();
            var revision = RolloutRevisions.Pick(
                owned.Select(rs => RolloutRevisions.Of(rs)!.Value),
                context.Context["revision"].AsLong(),
                (int?)context.Context["numRevisionsBack"].AsLong(),
                target.FullName);
            var from = owned.First(rs => RolloutRevisions.Of(rs) == revision);
            var patch = new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/spec/template", ["value"] = RolloutRevisions.TemplateOf(from) });
            var patched = await target.Account.Client.PatchAsync(target.Key, PatchType.Json, patch, cancellationToken);
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

    /// <summary><c>spec.selector.matchLabels</c> as a label selector string (<c>a=b,c=d</c>); expressions are left to the owner check.</summary>
    internal static string? LabelSelector(JsonObject? selector)
    {
        var labels = (selector?["matchLabels"] as JsonObject ?? []).Select(p => $"{p.Key}={p.Value.AsString()}").ToList();
        return labels.Count == 0 ? null : string.Join(',', labels);
    }
}

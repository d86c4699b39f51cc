using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Api;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages.DeleteManifest;

/// <summary>
/// clouddriver's delete operation: deletes the stage's targets (<see cref="ManifestTargets"/>) with the propagation of
/// <c>options.cascading</c> (<c>true</c>/absent → background, <c>false</c> → orphan, or <c>foreground</c>/<c>background</c>/<c>orphan</c>;
/// <c>options.orphanDependents</c> as in clouddriver) and <c>options.gracePeriodSeconds</c>. A target that is already gone is not an
/// error. Before anything is deleted, the traffic guard is asked about the workloads among the targets (<see cref="ManifestTrafficGuard"/>):
/// a refusal fails the stage and deletes nothing. Outputs <c>outputs.manifestNamesByNamespace</c> of what was deleted.
/// </summary>
public sealed class DeleteManifestTask(KubernetesAccounts accounts, ITrafficGuard guard, ILogger<DeleteManifestTask> logger) : ITask
{
    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        try
        {
            var account = ManifestStageContext.Account(context, accounts);
            var options = context.Context["options"] as JsonObject ?? [];
            var propagation = Propagation(options);
            var grace = (int?)options["gracePeriodSeconds"].AsLong();
            var deleted = new List<ResourceKey>();
            var targets = await ManifestTargets.ResolveAsync(context, account, cancellationToken);
            if (await ManifestTrafficGuard.RefusalAsync(context, guard, account, targets, GuardedChangeKind.Destroy, null, logger, cancellationToken) is { } refused)
            {
                return refused;
            }

            foreach (var key in targets)
            {
                if (await account.Client.DeleteAsync(key, propagation, cancellationToken, grace))
                {
                    KubernetesLog.ManifestDeleted(logger, account.Name, key.ToString(), context.Execution.Id, context.Stage.Id);
                }

                account.Cache.Remove(key.Kind, key.Namespace, key.Name);
                deleted.Add(key);
            }

            var names = ManifestStageContext.NamesByNamespace(deleted.Select(k => (k.Namespace, k.FullName)));
            return TaskResult.Succeeded(
                new JsonObject { ["deploy.account.name"] = account.Name },
                new JsonObject { [ManifestStageContext.ManifestNamesByNamespaceKey] = names });
        }
        catch (MizzenException e) when (!e.IsTransient)
        {
            return TaskResult.Terminal($"Stage '{context.Stage.Name}': {e.Message}");
        }
    }

    /// <summary>clouddriver's reading of <c>options.cascading</c> and <c>options.orphanDependents</c>.</summary>
    public static PropagationPolicy Propagation(JsonObject options)
    {
        if (options["orphanDependents"].AsBool() is { } orphan)
        {
            return orphan ? PropagationPolicy.Orphan : PropagationPolicy.Background;
        }

        return options["cascading"]?.ToString().ToLowerInvariant() switch
        {
            null or "" or "true" or "background" => PropagationPolicy.Background,
            "false" or "orphan" => PropagationPolicy.Orphan,
            "foreground" => PropagationPolicy.Foreground,
            var other => throw new ValidationException("options.cascading", $"must be true, false, foreground, background or orphan, got '{other}'"),
        };
    }
}

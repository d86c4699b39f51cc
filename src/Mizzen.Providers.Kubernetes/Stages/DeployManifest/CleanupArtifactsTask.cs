using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Api;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages.DeployManifest;

/// <summary>
/// clouddriver's <c>cleanupArtifacts</c> after a deploy: for each deployed versioned manifest with
/// <c>strategy.spinnaker.io/max-version-history: N</c>, deletes all but the newest N versions (by version number) of the same name
/// in its namespace. Deleting one that is already gone is not an error. Outputs <c>cleanedUpManifests</c>.
/// </summary>
public sealed class CleanupArtifactsTask(KubernetesAccounts accounts) : ITask
{
    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var account = ManifestStageContext.Account(context, accounts);
        var deleted = new List<KubernetesManifest>();
        foreach (var manifest in await DeployedManifests.ReadAsync(context, account, cancellationToken))
        {
            if (!int.TryParse(manifest.Annotation(KubernetesAnnotations.MaxVersionHistory), NumberStyles.Integer, CultureInfo.InvariantCulture, out var keep)
                || manifest.Annotation(KubernetesAnnotations.ArtifactName) is not { } baseName
                || string.IsNullOrEmpty(manifest.Annotation(KubernetesAnnotations.ArtifactVersion)))
            {
                continue;
            }

            var versions = await account.Cache.ListAsync(manifest.Kind, manifest.Namespace, cancellationToken);
            foreach (var surplus in ResourceVersioner.Surplus(baseName, versions, keep).Select(o => new KubernetesManifest(o)))
            {
                await account.Client.DeleteAsync(surplus.Key(), PropagationPolicy.Background, cancellationToken);
                account.Cache.Remove(surplus.Kind, surplus.Namespace, surplus.Name);
                deleted.Add(surplus);
            }
        }

        return TaskResult.Succeeded(new JsonObject { ["cleanedUpManifests"] = DeployedManifests.Names(deleted) });
    }
}

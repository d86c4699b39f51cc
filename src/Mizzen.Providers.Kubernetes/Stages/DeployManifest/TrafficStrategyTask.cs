using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Api;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages.DeployManifest;

/// <summary>
/// The rollout strategy of <c>trafficManagement</c> once the new ReplicaSet is stable (Orca appends disable/delete stages; Mizzen runs
/// them as this task): every other ReplicaSet of the same application and cluster in the namespace is an old one.
/// <c>redblack</c>/<c>bluegreen</c> disables each old one (removes the Services' selector labels from its pod template and pods), except
/// one that never became ready, which is deleted; <c>highlander</c> disables and then deletes each; <c>none</c> does nothing.
/// Outputs <c>disabledManifests</c> and <c>deletedManifests</c>.
/// </summary>
public sealed class TrafficStrategyTask(KubernetesAccounts accounts) : ITask
{
    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var options = context.Context["trafficManagement"] as JsonObject;
        var strategy = (options?["options"]?["strategy"].AsString() ?? "none").ToLowerInvariant();
        if (options?["enabled"].AsBool() != true || strategy is not ("redblack" or "bluegreen" or "highlander"))
        {
            return TaskResult.Succeeded();
        }

        var account = ManifestStageContext.Account(context, accounts);
        var disabled = new List<KubernetesManifest>();
        var deleted = new List<KubernetesManifest>();
        foreach (var created in (await DeployedManifests.ReadAsync(context, account, cancellationToken)).Where(m => m.Kind == "ReplicaSet"))
        {
            var moniker = KubernetesMoniker.Of(created);
            var siblings = (await account.Cache.ListAsync("ReplicaSet", created.Namespace, cancellationToken))
                .Select(o => new KubernetesManifest(o))
                .Where(o => o.Name != created.Name && KubernetesMoniker.Of(o) is var m && m.App == moniker.App && m.Cluster == moniker.Cluster)
                .ToList();
            var services = new List<JsonObject>();
            foreach (var name in ServiceSelectorTraffic.LoadBalancers(created))
            {
                if (await account.Cache.GetAsync("Service", created.Namespace, name, cancellationToken) is { } service)
                {
                    services.Add(service);
                }
            }

            var pods = await account.Cache.ListAsync("Pod", created.Namespace, cancellationToken);
            foreach (var old in siblings)
            {
                var status = ManifestStatus.Of(old.Json);
                var neverReady = !status.Stable && !status.Failed
                                 && (old.Status?["readyReplicas"].AsLong() ?? 0) == 0 && (old.Status?["availableReplicas"].AsLong() ?? 0) == 0;
                if (!(strategy != "highlander" && neverReady))
                {
                    await ServiceSelectorTraffic.SetAsync(account, old, services, PodDiagnostics.PodsOf(old, pods), enable: false, cancellationToken);
                    disabled.Add(old);
                }

                if (strategy == "highlander" || neverReady)
                {
                    await account.Client.DeleteAsync(old.Key(), PropagationPolicy.Background, cancellationToken);
                    account.Cache.Remove(old.Kind, old.Namespace, old.Name);
                    deleted.Add(old);
                }
            }
        }

        return TaskResult.Succeeded(new JsonObject
        {
            ["disabledManifests"] = DeployedManifests.Names(disabled),
            ["deletedManifests"] = DeployedManifests.Names(deleted),
        });
    }
}

using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Clouds;

/// <summary>
/// One account's cached objects that the read side needs (workloads, Deployments, pods, Services, Ingresses), read once per request
/// and indexed so that a view of thousands of pods is one pass over them: pods by owner uid, Deployments by uid.
/// </summary>
internal sealed class KubernetesSnapshot
{
    public static readonly string[] ServerGroupKinds = ["ReplicaSet", "StatefulSet", "DaemonSet"];

    private KubernetesSnapshot(KubernetesAccount account)
    {
        Account = account;
    }

    public KubernetesAccount Account { get; }

    public List<KubernetesManifest> ServerGroups { get; } = [];

    public Dictionary<string, KubernetesManifest> DeploymentsByUid { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<KubernetesManifest>> PodsByOwner { get; } = new(StringComparer.Ordinal);

    public List<KubernetesManifest> Pods { get; } = [];

    public List<KubernetesManifest> Services { get; } = [];

    public List<KubernetesManifest> Ingresses { get; } = [];

    public static async Task<KubernetesSnapshot> ReadAsync(KubernetesAccount account, CancellationToken cancellationToken)
    {
        var snapshot = new KubernetesSnapshot(account);
        foreach (var kind in ServerGroupKinds)
        {
            snapshot.ServerGroups.AddRange((await account.Cache.ListAsync(kind, null, cancellationToken)).Select(o => new KubernetesManifest(o)));
        }

        foreach (var deployment in (await account.Cache.ListAsync("Deployment", null, cancellationToken)).Select(o => new KubernetesManifest(o)))
        {
            if (deployment.Uid is { } uid)
            {
                snapshot.DeploymentsByUid[uid] = deployment;
            }
        }

        foreach (var pod in (await account.Cache.ListAsync("Pod", null, cancellationToken)).Select(o => new KubernetesManifest(o)))
        {
            snapshot.Pods.Add(pod);
            foreach (var owner in Owners(pod))
            {
                if (!snapshot.PodsByOwner.TryGetValue(owner, out var list))
                {
                    snapshot.PodsByOwner[owner] = list = [];
                }

                list.Add(pod);
            }
        }

        snapshot.Services.AddRange((await account.Cache.ListAsync("Service", null, cancellationToken)).Select(o => new KubernetesManifest(o)));
        snapshot.Ingresses.AddRange((await account.Cache.ListAsync("Ingress", null, cancellationToken)).Select(o => new KubernetesManifest(o)));
        return snapshot;
    }

    /// <summary>The Deployment that owns a ReplicaSet, if any.</summary>
    public KubernetesManifest? Manager(KubernetesManifest serverGroup) =>
        Owners(serverGroup).Select(uid => DeploymentsByUid.GetValueOrDefault(uid)).FirstOrDefault(d => d is not null);

    public IReadOnlyList<KubernetesManifest> PodsOf(KubernetesManifest serverGroup) =>
        serverGroup.Uid is { } uid && PodsByOwner.TryGetValue(uid, out var pods) ? pods : [];

    /// <summary>The moniker of a server group: a Deployment's ReplicaSet takes its manager's application and cluster, and the revision as sequence.</summary>
    public KubernetesMoniker Moniker(KubernetesManifest serverGroup)
    {
        var own = KubernetesMoniker.Of(serverGroup);
        return Manager(serverGroup) is { } manager
            ? KubernetesMoniker.Of(manager) with { Sequence = own.Sequence }
            : own;
    }

    /// <summary>Services in the server group's namespace whose selector its pod template matches.</summary>
    public IEnumerable<KubernetesManifest> ServicesSelecting(KubernetesManifest serverGroup)
    {
        var labels = serverGroup.PodTemplate?["metadata"]?["labels"] as JsonObject ?? [];
        return Services.Where(s => s.Namespace == serverGroup.Namespace
                                   && s.Spec?["selector"] is JsonObject { Count: > 0 } selector
                                   && selector.All(p => labels[p.Key].AsString() == p.Value.AsString()));
    }

    private static IEnumerable<string> Owners(KubernetesManifest obj) =>
        (obj.Metadata["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().Select(o => o["uid"].AsString()).OfType<string>();
}

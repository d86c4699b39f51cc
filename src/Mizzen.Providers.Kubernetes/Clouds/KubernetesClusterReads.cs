using Mizzen.Core.Errors;
using Mizzen.Orchestration.Clouds;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Clouds;

/// <summary>
/// The read side for Kubernetes, answered from each account's list+watch cache (no API request per read, except pod logs):
/// applications from moniker annotations (or Frigga's parse of the name), ReplicaSets/StatefulSets/DaemonSets as server groups named
/// <c>"kind name"</c> (a Deployment's ReplicaSets in the Deployment's cluster), Pods as instances, Services and Ingresses as load balancers.
/// Server group and instance names are unique per namespace; a read by name looks in every namespace of the account.
/// </summary>
public sealed class KubernetesClusterReads(KubernetesAccounts accounts) : IClusterReads
{
    public async Task<IReadOnlyList<string>> ListApplicationsAsync(CancellationToken cancellationToken)
    {
        var apps = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var account in accounts.All)
        {
            var snapshot = await KubernetesSnapshot.ReadAsync(account, cancellationToken);
            foreach (var group in snapshot.ServerGroups)
            {
                apps.Add(snapshot.Moniker(group).App.ToLowerInvariant());
            }

            foreach (var lb in snapshot.Services.Concat(snapshot.Ingresses).Where(l => l.Annotation(KubernetesAnnotations.Application) is not null))
            {
                apps.Add(KubernetesMoniker.Of(lb).App.ToLowerInvariant());
            }
        }

        return [.. apps];
    }

    public async Task<IReadOnlyList<ServerGroupDetails>> ListServerGroupsAsync(string application, CancellationToken cancellationToken)
    {
        var result = new List<ServerGroupDetails>();
        foreach (var account in accounts.All)
        {
            var snapshot = await KubernetesSnapshot.ReadAsync(account, cancellationToken);
            result.AddRange(ServerGroupsOf(snapshot, application));
        }

        return Ordered(result);
    }

    public async Task<ServerGroupDetails?> GetServerGroupAsync(string account, string serverGroup, CancellationToken cancellationToken)
    {
        var snapshot = await KubernetesSnapshot.ReadAsync(accounts.Get(account), cancellationToken);
        var (kind, name) = ParseName(serverGroup);
        var group = snapshot.ServerGroups.FirstOrDefault(g => g.Name == name && (kind is null || g.Kind == kind));
        return group is null ? null : KubernetesReadModel.ServerGroup(snapshot, group);
    }

    public async Task<IReadOnlyList<LoadBalancerDetails>> ListLoadBalancersAsync(string application, CancellationToken cancellationToken)
    {
        var result = new List<LoadBalancerDetails>();
        foreach (var account in accounts.All)
        {
            var snapshot = await KubernetesSnapshot.ReadAsync(account, cancellationToken);
            var groups = ServerGroupsOf(snapshot, application).ToList();
            foreach (var lb in snapshot.Services.Concat(snapshot.Ingresses))
            {
                var details = KubernetesReadModel.LoadBalancer(snapshot, lb, groups);
                if (string.Equals(KubernetesMoniker.Of(lb).App, application, StringComparison.OrdinalIgnoreCase) || details.ServerGroups.Count > 0)
                {
                    result.Add(details);
                }
            }
        }

        return result;
    }

    public async Task<InstanceDetails?> GetInstanceAsync(string account, string instanceId, CancellationToken cancellationToken)
    {
        var snapshot = await KubernetesSnapshot.ReadAsync(accounts.Get(account), cancellationToken);
        var (_, name) = ParseName(instanceId);
        if (snapshot.Pods.FirstOrDefault(p => p.Name == name) is not { } pod)
        {
            return null;
        }

        var group = snapshot.ServerGroups.FirstOrDefault(g => snapshot.PodsOf(g).Contains(pod));
        var details = group is null ? null : KubernetesReadModel.ServerGroup(snapshot, group);
        return details?.Instances.First(i => i.Id == pod.Name)
               ?? KubernetesReadModel.Instance(account, "", KubernetesMoniker.Of(pod).Cluster, pod, enabled: true);
    }

    public async Task<InstanceLogChunk> ReadLogAsync(string account, string instanceId, LogRequest request, CancellationToken cancellationToken)
    {
        if (request.Offset is not null)
        {
            throw new ValidationException("offset", "Kubernetes pod logs are read as a tail ('tail' lines); they have no byte offsets to follow from");
        }

        var kubernetes = accounts.Get(account);
        var (_, name) = ParseName(instanceId);
        var pod = (await kubernetes.Cache.ListAsync("Pod", null, cancellationToken)).Select(p => new KubernetesManifest(p)).FirstOrDefault(p => p.Name == name)
                  ?? throw new NotFoundException($"account {account} has no pod '{name}'");
        var text = await kubernetes.Client.ReadLogAsync(pod.Namespace!, pod.Name, request.Container, request.Tail > 0 ? request.Tail : null, cancellationToken);
        if (request.MaxBytes > 0 && text.Length > request.MaxBytes)
        {
            return new InstanceLogChunk(text[^request.MaxBytes..], 0, text.Length, Truncated: true);
        }

        return new InstanceLogChunk(text, 0, text.Length, Truncated: false);
    }

    internal static IEnumerable<ServerGroupDetails> ServerGroupsOf(KubernetesSnapshot snapshot, string application) =>
        snapshot.ServerGroups
            .Where(g => string.Equals(snapshot.Moniker(g).App, application, StringComparison.OrdinalIgnoreCase))
            .Select(g => KubernetesReadModel.ServerGroup(snapshot, g));

    internal static IReadOnlyList<ServerGroupDetails> Ordered(IEnumerable<ServerGroupDetails> groups) =>
        [.. groups.OrderBy(g => g.Summary.Account, StringComparer.Ordinal)
            .ThenBy(g => g.Summary.Cluster, StringComparer.Ordinal)
            .ThenByDescending(g => g.Summary.Sequence)
            .ThenByDescending(g => g.Summary.CreatedTime)];

    /// <summary><c>"replicaSet web-v001"</c> → (ReplicaSet, web-v001); a bare name → (null, name).</summary>
    internal static (string? Kind, string Name) ParseName(string name)
    {
        var parts = name.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 ? (KubernetesKinds.Find(parts[0])?.Kind ?? parts[0], parts[1]) : (null, name.Trim());
    }
}

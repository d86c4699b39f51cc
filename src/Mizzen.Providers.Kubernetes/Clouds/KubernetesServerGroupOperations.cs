using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Orchestration.Clouds;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Api;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Clouds;

/// <summary>
/// The seam's server-group operations where a Kubernetes workload maps onto them: reads come from <see cref="KubernetesClusterReads"/>;
/// resize is a PATCH of <c>/scale</c>; destroy deletes the workload (its pods in the background). Creating a server group is a
/// deployManifest, and enabling/disabling traffic goes through the enableManifest/disableManifest stages (Service selectors).
/// </summary>
public sealed class KubernetesServerGroupOperations(KubernetesAccounts accounts, KubernetesClusterReads reads) : IServerGroupOperations
{
    public Task<string> DeployAsync(ServerGroupSpec spec, CancellationToken cancellationToken) =>
        throw KubernetesUnsupported.Operation("createServerGroup", "a deployManifest stage");

    public async Task<ServerGroupSummary?> GetAsync(string account, string serverGroup, CancellationToken cancellationToken) =>
        (await reads.GetServerGroupAsync(account, serverGroup, cancellationToken))?.Summary;

    public async Task<IReadOnlyList<ServerGroupSummary>> ListClusterAsync(string application, string account, string cluster, CancellationToken cancellationToken) =>
        [.. (await reads.ListServerGroupsAsync(application, cancellationToken)).Where(g => g.Summary.Account == account && g.Summary.Cluster == cluster).Select(g => g.Summary)];

    public async Task<IReadOnlyList<ServerGroupSummary>> ListAsync(string application, CancellationToken cancellationToken) =>
        [.. (await reads.ListServerGroupsAsync(application, cancellationToken)).Select(g => g.Summary)];

    public async Task ResizeAsync(string account, string serverGroup, Capacity capacity, CancellationToken cancellationToken)
    {
        var (kubernetes, key) = await FindAsync(account, serverGroup, cancellationToken);
        await kubernetes.Client.PatchAsync(key, PatchType.Merge, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = capacity.Desired } }, cancellationToken, subresource: "scale");
    }

    public Task EnableAsync(string account, string serverGroup, CancellationToken cancellationToken) =>
        throw KubernetesUnsupported.Operation("enableServerGroup", "an enableManifest stage (it adds the Services' selector labels)");

    public Task DisableAsync(string account, string serverGroup, CancellationToken cancellationToken) =>
        throw KubernetesUnsupported.Operation("disableServerGroup", "a disableManifest stage (it removes the Services' selector labels)");

    public async Task DestroyAsync(string account, string serverGroup, CancellationToken cancellationToken)
    {
        if (await reads.GetServerGroupAsync(account, serverGroup, cancellationToken) is not { } group)
        {
            return;
        }

        var kubernetes = accounts.Get(account);
        var (kind, name) = KubernetesClusterReads.ParseName(group.Summary.Name);
        var key = new ResourceKey(KubernetesKinds.Find(kind!)!.ApiVersion, kind!, group.Region, name);
        await kubernetes.Client.DeleteAsync(key, PropagationPolicy.Background, cancellationToken);
        kubernetes.Cache.Remove(key.Kind, key.Namespace, key.Name);
    }

    private async Task<(KubernetesAccount, ResourceKey)> FindAsync(string account, string serverGroup, CancellationToken cancellationToken)
    {
        var group = await reads.GetServerGroupAsync(account, serverGroup, cancellationToken)
                    ?? throw new NotFoundException($"account {account} has no server group '{serverGroup}'");
        var (kind, name) = KubernetesClusterReads.ParseName(group.Summary.Name);
        return (accounts.Get(account), new ResourceKey(KubernetesKinds.Find(kind!)!.ApiVersion, kind!, group.Region, name));
    }
}

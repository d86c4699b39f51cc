using Mizzen.Orchestration.Clouds;

namespace Mizzen.Providers.Kubernetes.Clouds;

/// <summary>Server groups of the seam on Kubernetes (in progress: filled in by the cluster-read work of issue 12).</summary>
public sealed class KubernetesServerGroupOperations : IServerGroupOperations
{
    public Task<string> DeployAsync(ServerGroupSpec spec, CancellationToken cancellationToken) =>
        throw KubernetesUnsupported.Operation("createServerGroup", "a deployManifest stage");

    public Task<ServerGroupSummary?> GetAsync(string account, string serverGroup, CancellationToken cancellationToken) => throw new NotSupportedException("in progress");

    public Task<IReadOnlyList<ServerGroupSummary>> ListClusterAsync(string application, string account, string cluster, CancellationToken cancellationToken) => throw new NotSupportedException("in progress");

    public Task<IReadOnlyList<ServerGroupSummary>> ListAsync(string application, CancellationToken cancellationToken) => throw new NotSupportedException("in progress");

    public Task ResizeAsync(string account, string serverGroup, Capacity capacity, CancellationToken cancellationToken) => throw new NotSupportedException("in progress");

    public Task EnableAsync(string account, string serverGroup, CancellationToken cancellationToken) => throw new NotSupportedException("in progress");

    public Task DisableAsync(string account, string serverGroup, CancellationToken cancellationToken) => throw new NotSupportedException("in progress");

    public Task DestroyAsync(string account, string serverGroup, CancellationToken cancellationToken) => throw new NotSupportedException("in progress");
}

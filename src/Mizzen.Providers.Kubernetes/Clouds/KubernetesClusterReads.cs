using Mizzen.Orchestration.Clouds;

namespace Mizzen.Providers.Kubernetes.Clouds;

/// <summary>The read side for Kubernetes (in progress: answered from the accounts' caches).</summary>
public sealed class KubernetesClusterReads : IClusterReads
{
    public Task<IReadOnlyList<string>> ListApplicationsAsync(CancellationToken cancellationToken) => throw new NotSupportedException("in progress");

    public Task<IReadOnlyList<ServerGroupDetails>> ListServerGroupsAsync(string application, CancellationToken cancellationToken) => throw new NotSupportedException("in progress");

    public Task<ServerGroupDetails?> GetServerGroupAsync(string account, string serverGroup, CancellationToken cancellationToken) => throw new NotSupportedException("in progress");

    public Task<IReadOnlyList<LoadBalancerDetails>> ListLoadBalancersAsync(string application, CancellationToken cancellationToken) => throw new NotSupportedException("in progress");

    public Task<InstanceDetails?> GetInstanceAsync(string account, string instanceId, CancellationToken cancellationToken) => throw new NotSupportedException("in progress");

    public Task<InstanceLogChunk> ReadLogAsync(string account, string instanceId, LogRequest request, CancellationToken cancellationToken) => throw new NotSupportedException("in progress");
}

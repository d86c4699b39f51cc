namespace Mizzen.Orchestration.Clouds;

/// <summary>
/// Server groups of one cloud provider: what deploy, resize, enable/disable, destroy, rollback, findImage and the cluster stages
/// call, and what read APIs list. Names follow Frigga: cluster <c>app-stack-detail</c>, server group <c>cluster-vNNN</c>.
/// Errors are <see cref="Core.Errors.MizzenException"/>s (NotFound, Validation ...) with a message a user can act on.
/// </summary>
public interface IServerGroupOperations
{
    /// <summary>Creates the next server group of the spec's cluster and starts it; returns its name. Does not wait for health.</summary>
    Task<string> DeployAsync(ServerGroupSpec spec, CancellationToken cancellationToken);

    /// <summary>The server group, or null when the account has none by that name.</summary>
    Task<ServerGroupSummary?> GetAsync(string account, string serverGroup, CancellationToken cancellationToken);

    /// <summary>The cluster's server groups in <paramref name="account"/>, newest (highest sequence) first.</summary>
    Task<IReadOnlyList<ServerGroupSummary>> ListClusterAsync(string application, string account, string cluster, CancellationToken cancellationToken);

    /// <summary>Every server group of the application in every account, newest first within a cluster.</summary>
    Task<IReadOnlyList<ServerGroupSummary>> ListAsync(string application, CancellationToken cancellationToken);

    Task ResizeAsync(string account, string serverGroup, Capacity capacity, CancellationToken cancellationToken);

    /// <summary>Routes traffic to the server group in all its load balancers.</summary>
    Task EnableAsync(string account, string serverGroup, CancellationToken cancellationToken);

    /// <summary>Stops new traffic to the server group; in-flight requests finish.</summary>
    Task DisableAsync(string account, string serverGroup, CancellationToken cancellationToken);

    /// <summary>Disables, drains and removes the server group; a missing one is not an error.</summary>
    Task DestroyAsync(string account, string serverGroup, CancellationToken cancellationToken);
}

namespace Mizzen.Providers.Local.Api;

/// <summary>
/// Server groups on this host: what phase-2 stages (deploy, resize, enable/disable, destroy, rollback, findImage) and the REST API call.
/// Every mutation is stored as desired state before it is applied, so a restart of Mizzen finds it again.
/// </summary>
public interface ILocalCloudProvider
{
    /// <summary>Creates the next server group of the cluster (<c>app-stack-detail-vNNN</c>) and starts its instances; returns its name.</summary>
    Task<string> DeployServerGroupAsync(DeployServerGroupRequest request, CancellationToken cancellationToken);

    /// <summary>Desired, Up and total instance counts: what wait-for-health polls.</summary>
    Task<ServerGroupHealth> GetHealthAsync(string account, string serverGroup, CancellationToken cancellationToken);

    Task ResizeServerGroupAsync(string account, string serverGroup, int desired, CancellationToken cancellationToken);

    /// <summary>Routes traffic to the server group in all its load balancers.</summary>
    Task EnableServerGroupAsync(string account, string serverGroup, CancellationToken cancellationToken);

    /// <summary>Stops new requests to the server group in all its load balancers; in-flight requests finish.</summary>
    Task DisableServerGroupAsync(string account, string serverGroup, CancellationToken cancellationToken);

    /// <summary>Disables, drains, stops the instances (SIGTERM, then SIGKILL after the grace period) and forgets the server group.</summary>
    Task DestroyServerGroupAsync(string account, string serverGroup, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> ListApplicationsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<ClusterView>> ListClustersAsync(string application, CancellationToken cancellationToken);

    Task<IReadOnlyList<ServerGroupView>> ListServerGroupsAsync(string application, CancellationToken cancellationToken);

    /// <summary>The server group, or null when there is none by that name.</summary>
    Task<ServerGroupView?> GetServerGroupAsync(string account, string serverGroup, CancellationToken cancellationToken);

    Task<InstanceView?> GetInstanceAsync(string account, string instanceId, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="lines"/> lines of an instance's stdout or stderr.</summary>
    Task<LogChunk> TailLogAsync(string account, string instanceId, LogStream stream, int lines, CancellationToken cancellationToken);

    /// <summary>Log text written since <paramref name="offset"/> (at most <paramref name="maxBytes"/>); pass <see cref="LogChunk.NextOffset"/> back to follow.</summary>
    Task<LogChunk> ReadLogAsync(string account, string instanceId, LogStream stream, long offset, int maxBytes, CancellationToken cancellationToken);
}

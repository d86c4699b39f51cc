using Mizzen.Orchestration.Clouds;
using Capacity = Mizzen.Orchestration.Clouds.Capacity;
using InstanceCounts = Mizzen.Orchestration.Clouds.InstanceCounts;

namespace Mizzen.Providers.Local.Clouds;

/// <summary><see cref="IServerGroupOperations"/> over <see cref="ILocalCloudProvider"/>.</summary>
internal sealed class LocalServerGroupOperations(ILocalCloudProvider provider, LocalAccountRegistry accounts) : IServerGroupOperations
{
    public Task<string> DeployAsync(ServerGroupSpec spec, CancellationToken cancellationToken) =>
        provider.DeployServerGroupAsync(new DeployServerGroupRequest
        {
            Application = spec.Application,
            Account = spec.Account,
            Stack = string.IsNullOrEmpty(spec.Stack) ? null : spec.Stack,
            Detail = string.IsNullOrEmpty(spec.Detail) ? null : spec.Detail,
            Artifact = LocalMapping.ToLocal(spec.Artifact),
            Command = spec.Command,
            Args = spec.Args,
            Env = spec.Env,
            Capacity = new ServerGroupCapacity(spec.Capacity.Min, spec.Capacity.Max, spec.Capacity.Desired),
            HealthCheck = LocalMapping.ToLocal(spec.HealthCheck),
            LoadBalancers = spec.LoadBalancers,
            ScrapeMetrics = spec.ScrapeMetrics,
            Enabled = spec.Enabled,
        }, cancellationToken);

    public async Task<ServerGroupSummary?> GetAsync(string account, string serverGroup, CancellationToken cancellationToken) =>
        await provider.GetServerGroupAsync(account, serverGroup, cancellationToken) is { } view ? ToSummary(view) : null;

    public async Task<IReadOnlyList<ServerGroupSummary>> ListClusterAsync(string application, string account, string cluster, CancellationToken cancellationToken)
    {
        accounts.ThrowIfRemote(account); // an empty list would read as "no server groups": a deploy would start at v000 again
        return (await ListAsync(application, cancellationToken)).Where(g => g.Account == account && g.Cluster == cluster).ToList();
    }

    public async Task<IReadOnlyList<ServerGroupSummary>> ListAsync(string application, CancellationToken cancellationToken) =>
        (await provider.ListServerGroupsAsync(application, cancellationToken))
            .Select(ToSummary)
            .OrderBy(g => g.Account, StringComparer.Ordinal)
            .ThenBy(g => g.Cluster, StringComparer.Ordinal)
            .ThenByDescending(g => g.Sequence)
            .ThenByDescending(g => g.CreatedTime)
            .ToList();

    public Task ResizeAsync(string account, string serverGroup, Capacity capacity, CancellationToken cancellationToken) =>
        provider.ResizeServerGroupAsync(account, serverGroup, capacity.Desired, cancellationToken);

    public Task EnableAsync(string account, string serverGroup, CancellationToken cancellationToken) =>
        provider.EnableServerGroupAsync(account, serverGroup, cancellationToken);

    public Task DisableAsync(string account, string serverGroup, CancellationToken cancellationToken) =>
        provider.DisableServerGroupAsync(account, serverGroup, cancellationToken);

    public async Task DestroyAsync(string account, string serverGroup, CancellationToken cancellationToken)
    {
        if (await provider.GetServerGroupAsync(account, serverGroup, cancellationToken) is not null)
        {
            await provider.DestroyServerGroupAsync(account, serverGroup, cancellationToken);
        }
    }

    internal static ServerGroupSummary ToSummary(ServerGroupView view) => new()
    {
        Name = view.Name,
        Account = view.Account,
        Application = view.Application,
        Cluster = view.Cluster,
        Stack = view.Stack,
        Detail = view.Detail,
        Sequence = view.Sequence,
        CreatedTime = view.CreatedTime,
        Capacity = new Capacity(view.Capacity.Min, view.Capacity.Max, view.Capacity.Desired),
        Enabled = view.Enabled,
        Artifact = new CloudArtifact(view.Artifact.Type, view.Artifact.Name, view.Artifact.Version, view.Artifact.Reference),
        LoadBalancers = view.LoadBalancers,
        Instances = new InstanceCounts(
            view.InstanceCounts.Total, view.InstanceCounts.Up, view.InstanceCounts.Down, view.InstanceCounts.Starting, view.InstanceCounts.OutOfService, view.InstanceCounts.Crashed),
    };
}

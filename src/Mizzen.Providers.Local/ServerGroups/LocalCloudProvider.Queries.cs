using Mizzen.Core.Errors;
using Mizzen.Providers.Local.Instances;

namespace Mizzen.Providers.Local.ServerGroups;

/// <summary>
/// Listings and logs: the read side of <see cref="ILocalCloudProvider"/>. Listings hold the accounts this node owns; a question about
/// one remote account is refused (<see cref="AccountOnOtherNodeException"/>) rather than answered "nothing there".
/// </summary>
internal sealed partial class LocalCloudProvider
{
    public Task<IReadOnlyList<string>> ListApplicationsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. directory.All.Select(g => g.Record.Application).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);

    public Task<IReadOnlyList<ClusterView>> ListClustersAsync(string application, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ClusterView>>([.. Groups(application)
            .GroupBy(g => (g.Account, g.Record.Cluster))
            .Select(c => new ClusterView(c.Key.Cluster, c.Key.Account, application, [.. c.Select(View)]))
            .OrderBy(c => c.Account, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal)]);

    public Task<IReadOnlyList<ServerGroupView>> ListServerGroupsAsync(string application, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ServerGroupView>>([.. Groups(application).Select(View)]);

    public Task<ServerGroupView?> GetServerGroupAsync(string account, string serverGroup, CancellationToken cancellationToken)
    {
        accounts.ThrowIfRemote(account);
        return Task.FromResult(directory.Find(account, serverGroup) is { } group ? View(group) : null);
    }

    public Task<InstanceView?> GetInstanceAsync(string account, string instanceId, CancellationToken cancellationToken)
    {
        accounts.ThrowIfRemote(account);
        return Task.FromResult(FindInstance(account, instanceId) is { } found ? InstanceViewOf(found.Group, found.Instance) : null);
    }

    public Task<LogChunk> TailLogAsync(string account, string instanceId, LogStream stream, int lines, CancellationToken cancellationToken) =>
        Task.FromResult(RequireInstance(account, instanceId).Logs.Tail(stream, Math.Clamp(lines, 0, 100_000)));

    public Task<LogChunk> ReadLogAsync(string account, string instanceId, LogStream stream, long offset, int maxBytes, CancellationToken cancellationToken) =>
        Task.FromResult(RequireInstance(account, instanceId).Logs.Read(stream, Math.Max(0, offset), Math.Clamp(maxBytes, 0, 4 * 1024 * 1024)));

    private IEnumerable<ServerGroupRuntime> Groups(string application) =>
        directory.All.Where(g => g.Record.Application == application)
            .OrderBy(g => g.Account, StringComparer.Ordinal).ThenBy(g => g.Record.Cluster, StringComparer.Ordinal).ThenBy(g => g.Record.Sequence);

    private (ServerGroupRuntime Group, InstanceRuntime Instance)? FindInstance(string account, string instanceId)
    {
        foreach (var group in directory.All.Where(g => g.Account == account))
        {
            if (group.Instances.FirstOrDefault(i => i.Record.Id == instanceId) is { } instance)
            {
                return (group, instance);
            }
        }

        return null;
    }

    private InstanceRuntime RequireInstance(string account, string instanceId)
    {
        accounts.ThrowIfRemote(account);
        return FindInstance(account, instanceId)?.Instance ?? throw new NotFoundException($"Instance '{instanceId}' does not exist in account '{account}'");
    }

    private static ServerGroupView View(ServerGroupRuntime group)
    {
        var record = group.Record;
        var instances = group.Instances.Select(i => InstanceViewOf(group, i)).ToList();
        int Count(InstanceState state) => instances.Count(i => i.State == state);
        return new ServerGroupView
        {
            Name = record.Name,
            Account = record.Account,
            Application = record.Application,
            Cluster = record.Cluster,
            Stack = record.Stack,
            Detail = record.Detail,
            Sequence = record.Sequence,
            CreatedTime = record.CreatedTime,
            Capacity = record.Capacity,
            Enabled = record.Enabled,
            Artifact = record.Artifact,
            Env = SecretRedaction.Redact(record.Env),
            LoadBalancers = [.. record.LoadBalancers],
            Instances = instances,
            InstanceCounts = new InstanceCounts(
                instances.Count, Count(InstanceState.Up), Count(InstanceState.Down), Count(InstanceState.Starting), Count(InstanceState.OutOfService), Count(InstanceState.Crashed)),
        };
    }

    private static InstanceView InstanceViewOf(ServerGroupRuntime group, InstanceRuntime instance) =>
        new(instance.Record.Id, group.Name, group.ViewState(instance), instance.Record.Port, instance.Record.Pid, instance.Record.Restarts, instance.Record.LaunchTime);
}

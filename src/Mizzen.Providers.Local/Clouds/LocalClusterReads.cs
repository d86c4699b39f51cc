using Mizzen.Core.Errors;
using Mizzen.Orchestration.Clouds;

namespace Mizzen.Providers.Local.Clouds;

/// <summary>
/// <see cref="IClusterReads"/> over this node's local state (<see cref="ILocalCloudProvider"/>, <see cref="ILocalLoadBalancers"/>): the
/// local provider has no regions, so a server group's region is its account; an instance's details are its <c>port</c> and <c>pid</c>;
/// a load balancer's targets carry the router's effective routing. Like the provider, it answers for the accounts this node owns and
/// refuses a question about one another node owns (<see cref="AccountOnOtherNodeException"/>).
/// </summary>
internal sealed class LocalClusterReads(ILocalCloudProvider provider, ILocalLoadBalancers loadBalancers) : IClusterReads
{
    public Task<IReadOnlyList<string>> ListApplicationsAsync(CancellationToken cancellationToken) => provider.ListApplicationsAsync(cancellationToken);

    public async Task<IReadOnlyList<ServerGroupDetails>> ListServerGroupsAsync(string application, CancellationToken cancellationToken) =>
        [.. (await provider.ListServerGroupsAsync(application, cancellationToken))
            .OrderBy(g => g.Account, StringComparer.Ordinal).ThenBy(g => g.Cluster, StringComparer.Ordinal).ThenByDescending(g => g.Sequence)
            .Select(Details)];

    public async Task<ServerGroupDetails?> GetServerGroupAsync(string account, string serverGroup, CancellationToken cancellationToken) =>
        await provider.GetServerGroupAsync(account, serverGroup, cancellationToken) is { } view ? Details(view) : null;

    public async Task<IReadOnlyList<LoadBalancerDetails>> ListLoadBalancersAsync(string application, CancellationToken cancellationToken)
    {
        var serverGroups = await provider.ListServerGroupsAsync(application, cancellationToken);
        return [.. (await loadBalancers.ListLoadBalancersAsync(cancellationToken))
            .Where(lb => BelongsTo(lb, application, serverGroups))
            .OrderBy(lb => lb.Account, StringComparer.Ordinal).ThenBy(lb => lb.Name, StringComparer.Ordinal)
            .Select(lb => Details(lb, serverGroups))];
    }

    public async Task<InstanceDetails?> GetInstanceAsync(string account, string instanceId, CancellationToken cancellationToken)
    {
        if (await provider.GetInstanceAsync(account, instanceId, cancellationToken) is not { } instance)
        {
            return null;
        }

        var group = await provider.GetServerGroupAsync(account, instance.ServerGroup, cancellationToken);
        return Details(instance, account, group?.Cluster ?? instance.ServerGroup);
    }

    public async Task<InstanceLogChunk> ReadLogAsync(string account, string instanceId, LogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Container is not null)
        {
            throw new ValidationException("container", "a local instance is one process: it has no containers to choose from");
        }

        var stream = request.Stream == LogStreamKind.Stderr ? LogStream.Stderr : LogStream.Stdout;
        var chunk = request.Offset is { } offset
            ? await provider.ReadLogAsync(account, instanceId, stream, offset, request.MaxBytes, cancellationToken)
            : await provider.TailLogAsync(account, instanceId, stream, request.Tail, cancellationToken);
        return new InstanceLogChunk(chunk.Text, chunk.Offset, chunk.NextOffset, chunk.Truncated);
    }

    /// <summary>
    /// Load balancers have no owner field; like Spinnaker (Frigga), one belongs to the application when its name is the application or
    /// starts with <c>application-</c>, or when it routes to one of the application's server groups or one of them names it.
    /// </summary>
    private static bool BelongsTo(LoadBalancerView view, string application, IReadOnlyList<ServerGroupView> serverGroups) =>
        string.Equals(view.Name, application, StringComparison.OrdinalIgnoreCase)
        || view.Name.StartsWith(application + "-", StringComparison.OrdinalIgnoreCase)
        || serverGroups.Any(g => g.Account == view.Account && (g.LoadBalancers.Contains(view.Name) || view.Targets.Any(t => t.ServerGroup == g.Name)));

    private static ServerGroupDetails Details(ServerGroupView view) => new()
    {
        Summary = LocalServerGroupOperations.ToSummary(view),
        CloudProvider = LocalCloud.ProviderName,
        Region = view.Account,
        Instances = [.. view.Instances.Select(i => Details(i, view.Account, view.Cluster))],
        Env = view.Env,
    };

    private static InstanceDetails Details(InstanceView view, string account, string cluster) =>
        new(view.Id, account, account, view.ServerGroup, cluster, Health(view.State), view.State.ToString(), view.LaunchTime, LocalCloud.ProviderName)
        {
            Reason = view.State switch
            {
                InstanceState.Crashed => "its process exited; it is restarted with backoff",
                InstanceState.Down => "it fails its health check",
                _ => null,
            },
            Restarts = view.Restarts,
            Details = view.Pid is { } pid
                ? new Dictionary<string, string> { ["port"] = Invariant(view.Port), ["pid"] = Invariant(pid) }
                : new Dictionary<string, string> { ["port"] = Invariant(view.Port) },
        };

    /// <summary>Deck's health colours know Up, Down, Starting, OutOfService and Unknown; a crashed (restarting) instance is Down.</summary>
    private static InstanceHealth Health(InstanceState state) => state switch
    {
        InstanceState.Up => InstanceHealth.Up,
        InstanceState.Starting => InstanceHealth.Starting,
        InstanceState.OutOfService => InstanceHealth.OutOfService,
        _ => InstanceHealth.Down,
    };

    private static LoadBalancerDetails Details(LoadBalancerView view, IReadOnlyList<ServerGroupView> serverGroups)
    {
        var total = view.Targets.Sum(t => Math.Max(0, t.Weight));
        return new LoadBalancerDetails(
            view.Name,
            view.Account,
            view.Account,
            LocalCloud.ProviderName,
            LocalCloud.ProviderName,
            view.Port,
            view.Url,
            [.. view.Routing.Select(r => Target(r, total))],
            [.. serverGroups
                .Where(g => g.Account == view.Account && (g.LoadBalancers.Contains(view.Name) || view.Targets.Any(t => t.ServerGroup == g.Name)))
                .Select(g => new LoadBalancerServerGroupDetails(g.Name, !g.Enabled, g.InstanceCounts.Up, g.InstanceCounts.Total))]);
    }

    private static LoadBalancerTargetDetails Target(EffectiveRoute route, int totalWeight)
    {
        var configured = totalWeight == 0 ? 0 : Math.Round(100.0 * Math.Max(0, route.Weight) / totalWeight, 1);
        return new(route.ServerGroup, route.Weight, configured, route.Percent, route.RoutableInstances, route.Reason switch
        {
            RouteReason.Routed => "routed",
            RouteReason.Disabled => "disabled",
            RouteReason.NoUpInstances => "noUpInstances",
            RouteReason.ZeroWeight => "zeroWeight",
            _ => "serverGroupMissing",
        });
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

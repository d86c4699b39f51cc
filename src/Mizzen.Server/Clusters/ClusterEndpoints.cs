using Mizzen.Core.Errors;
using Mizzen.Providers.Local.Api;
using Mizzen.Server.Nodes;

namespace Mizzen.Server.Clusters;

/// <summary>
/// Gate's (clouddriver's) read routes for what is deployed: server groups, clusters, load balancers; and the operations on them
/// (<see cref="ServerGroupOperationEndpoints"/>, <see cref="TaskEndpoints"/>) and instances (<see cref="InstanceEndpoints"/>).
/// </summary>
public static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapClusterEndpoints(this IEndpointRouteBuilder routes)
    {
        // Listings cover every local account: those other nodes own are asked of their owner; a route naming one such account goes there.
        var group = routes.MapGroup("/applications/{app}").WithTags("Clusters").AddEndpointFilter<OwnerNodeFilter>();
        group.MapGet("/serverGroups", async (string app, HttpContext http, ILocalCloudProvider provider, OwnerNodes owners, CancellationToken ct) =>
            await owners.ListAsync(http, (await provider.ListServerGroupsAsync(Normalize(app), ct)).Select(ServerGroupSummary.From).ToList()));

        group.MapGet("/clusters", async (string app, HttpContext http, ILocalCloudProvider provider, OwnerNodes owners, CancellationToken ct) =>
            await owners.ListAsync(http, (await provider.ListClustersAsync(Normalize(app), ct))
                .GroupBy(c => c.Account, StringComparer.Ordinal)
                .ToDictionary(a => a.Key, a => a.Select(c => c.Name).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal)));

        group.MapGet("/clusters/{account}/{cluster}", async (string app, string account, string cluster, ILocalCloudProvider provider, ILocalLoadBalancers balancers, CancellationToken ct) =>
        {
            var found = (await provider.ListClustersAsync(Normalize(app), ct)).FirstOrDefault(c => c.Account == account && c.Name == cluster)
                        ?? throw new NotFoundException($"application '{app}' has no cluster '{cluster}' in account '{account}'");
            var names = found.ServerGroups.SelectMany(g => g.LoadBalancers).ToHashSet(StringComparer.Ordinal);
            var loadBalancers = (await balancers.ListLoadBalancersAsync(ct))
                .Where(lb => lb.Account == account && (names.Contains(lb.Name) || lb.Targets.Any(t => found.ServerGroups.Any(g => g.Name == t.ServerGroup))))
                .Select(lb => LoadBalancerSummary.From(lb, found.ServerGroups))
                .ToList();
            return TypedResults.Ok(new ClusterSummary(found.Name, found.Account, found.Application, ServerGroupSummary.Provider,
                [.. found.ServerGroups.OrderByDescending(g => g.Sequence).Select(ServerGroupSummary.From)], loadBalancers));
        });

        group.MapGet("/loadBalancers", async (string app, HttpContext http, ILocalCloudProvider provider, ILocalLoadBalancers balancers, OwnerNodes owners, CancellationToken ct) =>
            await owners.ListAsync(http, (await LoadBalancerSummary.ListForApplicationAsync(Normalize(app), provider, balancers, ct)).ToList()));

        routes.MapInstanceEndpoints();
        routes.MapServerGroupOperationEndpoints();
        routes.MapTaskEndpoints();
        return routes;
    }

    /// <summary>Application names are stored lower-case.</summary>
    internal static string Normalize(string application) => application.ToLowerInvariant();
}

/// <summary>One cluster of one account: its server groups, newest first, and the load balancers in front of them.</summary>
public sealed record ClusterSummary(
    string Name,
    string Account,
    string Application,
    string Type,
    IReadOnlyList<ServerGroupSummary> ServerGroups,
    IReadOnlyList<LoadBalancerSummary> LoadBalancers);

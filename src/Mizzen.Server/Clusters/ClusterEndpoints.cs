using Mizzen.Core.Errors;
using Mizzen.Orchestration.Clouds;
using Mizzen.Server.Nodes;
using Mizzen.Server.Security.Authorization;

namespace Mizzen.Server.Clusters;

/// <summary>
/// Gate's (clouddriver's) read routes for what is deployed: server groups, clusters, load balancers, read from every registered
/// provider's <see cref="IClusterReads"/> (<see cref="ProviderReads"/>); and the operations on them
/// (<see cref="ServerGroupOperationEndpoints"/>, <see cref="TaskEndpoints"/>) and instances (<see cref="InstanceEndpoints"/>). Listings
/// leave out the accounts the caller may not READ (<see cref="AccountReadFilter"/>); a route naming such an account is refused (403) by
/// <see cref="PermissionGate"/>, as a route naming an unreadable application is.
/// </summary>
public static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapClusterEndpoints(this IEndpointRouteBuilder routes)
    {
        // Listings cover every provider and every local account: those other nodes own are asked of their owner; a route naming one such account goes there.
        var group = routes.MapGroup("/applications/{app}").WithTags("Clusters").AddEndpointFilter<OwnerNodeFilter>();
        group.MapGet("/serverGroups", async (string app, HttpContext http, CloudProviderRegistry providers, OwnerNodes owners, CancellationToken ct) =>
        {
            var readable = AccountReadFilter.For(http);
            return await owners.ListAsync(http, (await providers.ListServerGroupsAsync(Normalize(app), readable, ct)).Select(ServerGroupSummary.From).ToList(), readable.CanRead);
        });

        group.MapGet("/clusters", async (string app, HttpContext http, CloudProviderRegistry providers, OwnerNodes owners, CancellationToken ct) =>
        {
            var readable = AccountReadFilter.For(http);
            return await owners.ListAsync(http, (await providers.ListServerGroupsAsync(Normalize(app), readable, ct))
                .GroupBy(g => g.Summary.Account, StringComparer.Ordinal)
                .ToDictionary(a => a.Key, a => a.Select(g => g.Summary.Cluster).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal),
                readable.CanRead);
        });

        group.MapGet("/clusters/{account}/{cluster}", async (string app, string account, string cluster, HttpContext http, CloudProviderRegistry providers, CancellationToken ct) =>
        {
            var application = Normalize(app);
            var readable = AccountReadFilter.For(http);
            var groups = (await providers.ListServerGroupsAsync(application, readable, ct)).Where(g => g.Summary.Account == account && g.Summary.Cluster == cluster).ToList();
            if (groups.Count == 0)
            {
                throw new NotFoundException($"application '{app}' has no cluster '{cluster}' in account '{account}'");
            }

            var names = groups.Select(g => g.Summary.Name).ToHashSet(StringComparer.Ordinal);
            var named = groups.SelectMany(g => g.Summary.LoadBalancers).ToHashSet(StringComparer.Ordinal);
            var loadBalancers = (await providers.ListLoadBalancersAsync(application, readable, ct))
                .Where(lb => lb.Account == account && (named.Contains(lb.Name) || lb.Targets.Any(t => names.Contains(t.ServerGroup))))
                .Select(lb => LoadBalancerSummary.From(lb with { ServerGroups = [.. lb.ServerGroups.Where(g => names.Contains(g.Name))] }))
                .ToList();
            return TypedResults.Ok(new ClusterSummary(cluster, account, application, groups[0].CloudProvider,
                [.. groups.OrderByDescending(g => g.Summary.Sequence).Select(ServerGroupSummary.From)], loadBalancers));
        });

        // Gate's single server group (with and without its region): the application's, in an account the caller may READ (the gate checks).
        group.MapGet("/serverGroups/{account}/{serverGroup}", async (string app, string account, string serverGroup, CloudProviderRegistry providers, CancellationToken ct) =>
            TypedResults.Ok(ServerGroupSummary.From(await ServerGroupOfAsync(providers, app, account, null, serverGroup, ct))));
        group.MapGet("/serverGroups/{account}/{region}/{serverGroup}", async (string app, string account, string region, string serverGroup, CloudProviderRegistry providers, CancellationToken ct) =>
            TypedResults.Ok(ServerGroupSummary.From(await ServerGroupOfAsync(providers, app, account, region, serverGroup, ct))));

        group.MapGet("/loadBalancers", async (string app, HttpContext http, CloudProviderRegistry providers, OwnerNodes owners, CancellationToken ct) =>
        {
            var readable = AccountReadFilter.For(http);
            return await owners.ListAsync(http, (await providers.ListLoadBalancersAsync(Normalize(app), readable, ct)).Select(LoadBalancerSummary.From).ToList(), readable.CanRead);
        });

        routes.MapInstanceEndpoints();
        routes.MapServerGroupOperationEndpoints();
        routes.MapTaskEndpoints();
        return routes;
    }

    /// <summary>The application's server group in the account (and region, when named); a 404 naming what is missing otherwise.</summary>
    private static async Task<ServerGroupDetails> ServerGroupOfAsync(
        CloudProviderRegistry providers, string app, string account, string? region, string serverGroup, CancellationToken ct) =>
        await providers.GetServerGroupAsync(account, serverGroup, ct) is { } found
        && string.Equals(found.Summary.Application, app, StringComparison.OrdinalIgnoreCase)
        && (region is null || string.Equals(found.Region, region, StringComparison.Ordinal))
            ? found
            : throw new NotFoundException($"application '{app}' has no server group '{serverGroup}' in account '{account}'{(region is null ? "" : $", region '{region}'")}");

    /// <summary>Application names are stored lower-case.</summary>
    internal static string Normalize(string application) => application.ToLowerInvariant();
}

/// <summary>One cluster of one account: its server groups, newest first, and the load balancers in front of them; <c>type</c> is the provider.</summary>
public sealed record ClusterSummary(
    string Name,
    string Account,
    string Application,
    string Type,
    IReadOnlyList<ServerGroupSummary> ServerGroups,
    IReadOnlyList<LoadBalancerSummary> LoadBalancers);

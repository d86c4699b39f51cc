using Mizzen.Orchestration.Clouds;
using Mizzen.Providers.Local.Api;
using Mizzen.Server.Security.Authorization;

namespace Mizzen.Server.Clusters;

/// <summary>
/// The read side of every registered provider at once (each provider's <see cref="ICloudProvider.Reads"/>): what the cluster, server
/// group, load balancer and instance endpoints and the UI pages list. Listings merge the providers; a question about one account goes to
/// the provider that has the account. Local accounts another node owns are not asked here: their requests are forwarded to the owner
/// (<see cref="Nodes.OwnerNodes"/>) before they reach these reads, and listings add the owners' answers. Listings keep only the accounts
/// the caller may READ (<see cref="AccountReadFilter"/>, fiat's account READ), for every provider here rather than in each provider.
/// </summary>
public static class ProviderReads
{
    /// <summary>Every server group of the application in every provider, on the accounts <paramref name="readable"/> lets through: by account, then cluster, newest first.</summary>
    public static async Task<IReadOnlyList<ServerGroupDetails>> ListServerGroupsAsync(
        this CloudProviderRegistry providers, string application, AccountReadFilter readable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(readable);
        var all = new List<ServerGroupDetails>();
        foreach (var provider in Ordered(providers))
        {
            all.AddRange(readable.Readable(await provider.Reads.ListServerGroupsAsync(application, cancellationToken), g => g.Summary.Account));
        }

        return [.. all.OrderBy(g => g.Summary.Account, StringComparer.Ordinal).ThenBy(g => g.Summary.Cluster, StringComparer.Ordinal)
            .ThenBy(g => g.Region, StringComparer.Ordinal).ThenByDescending(g => g.Summary.Sequence)];
    }

    /// <summary>Every load balancer of the application in every provider, on the accounts <paramref name="readable"/> lets through, by account, then name.</summary>
    public static async Task<IReadOnlyList<LoadBalancerDetails>> ListLoadBalancersAsync(
        this CloudProviderRegistry providers, string application, AccountReadFilter readable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(readable);
        var all = new List<LoadBalancerDetails>();
        foreach (var provider in Ordered(providers))
        {
            all.AddRange(readable.Readable(await provider.Reads.ListLoadBalancersAsync(application, cancellationToken), lb => lb.Account));
        }

        return [.. all.OrderBy(lb => lb.Account, StringComparer.Ordinal).ThenBy(lb => lb.Name, StringComparer.Ordinal).ThenBy(lb => lb.Region, StringComparer.Ordinal)];
    }

    /// <summary>The provider that has <paramref name="account"/>, or null when none does.</summary>
    public static ICloudProvider? ProviderOf(this CloudProviderRegistry providers, string account)
    {
        ArgumentNullException.ThrowIfNull(providers);
        return Ordered(providers).FirstOrDefault(p => p.Accounts.Contains(account, StringComparer.Ordinal));
    }

    /// <summary>The instance in <paramref name="account"/>, or null when no provider has the account or the account has no such instance.</summary>
    public static async Task<InstanceDetails?> GetInstanceAsync(this CloudProviderRegistry providers, string account, string instanceId, CancellationToken cancellationToken) =>
        providers.ProviderOf(account) is { } provider ? await provider.Reads.GetInstanceAsync(account, instanceId, cancellationToken) : null;

    /// <summary>The server group in <paramref name="account"/>, or null.</summary>
    public static async Task<ServerGroupDetails?> GetServerGroupAsync(this CloudProviderRegistry providers, string account, string serverGroup, CancellationToken cancellationToken) =>
        providers.ProviderOf(account) is { } provider ? await provider.Reads.GetServerGroupAsync(account, serverGroup, cancellationToken) : null;

    /// <summary>
    /// The instance with this id in whichever account answers here has it (instance ids are unique across accounts), or null. Local
    /// accounts another node owns are skipped: the caller asks their owners.
    /// </summary>
    public static async Task<InstanceDetails?> FindInstanceAsync(
        this CloudProviderRegistry providers, ILocalAccountPlacement placement, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(placement);
        foreach (var provider in Ordered(providers))
        {
            foreach (var account in provider.Accounts.Where(a => placement.Find(a) is not { IsRemote: true }).Order(StringComparer.Ordinal))
            {
                if (await provider.Reads.GetInstanceAsync(account, instanceId, cancellationToken) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    /// <summary>Every provider's accounts, for messages.</summary>
    public static IReadOnlyList<string> AllAccounts(this CloudProviderRegistry providers) =>
        [.. Ordered(providers).SelectMany(p => p.Accounts).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The default provider (<c>local</c>) first, then by name: the order an account name two providers share is resolved in.</summary>
    private static IEnumerable<ICloudProvider> Ordered(CloudProviderRegistry providers) =>
        providers.All.OrderBy(p => string.Equals(p.Name, CloudProviderRegistry.DefaultProvider, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(p => p.Name, StringComparer.Ordinal);
}

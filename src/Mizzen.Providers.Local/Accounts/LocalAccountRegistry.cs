using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Persistence.Coordination;

namespace Mizzen.Providers.Local.Accounts;

/// <summary>
/// The local accounts from configuration; several stand for several environments (staging, prod). With several nodes on one
/// store an account may belong to another node (<see cref="LocalAccountOptions.Node"/>): it is listed in <see cref="All"/> but
/// not in <see cref="Owned"/>, and <see cref="Get"/> refuses it, so nothing on this node acts on its folder or processes.
/// </summary>
internal sealed class LocalAccountRegistry : ILocalAccountPlacement
{
    private readonly Dictionary<string, LocalAccount> accounts = new(StringComparer.Ordinal);

    public LocalAccountRegistry(IOptions<LocalProviderOptions> options, IOptions<NodeOptions> node)
    {
        ThisNode = node.Value.Id;
        var list = options.Value.Accounts;
        for (var i = 0; i < list.Count; i++)
        {
            var entry = list[i];
            if (!string.Equals(entry.Type, "local", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var location = $"{LocalProviderOptions.AccountsSection}[{i}]";
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                throw new ValidationException(location + ".name", "a local account needs a name");
            }

            if (string.IsNullOrWhiteSpace(entry.WorkingFolder))
            {
                throw new ValidationException(location + ".workingFolder", $"local account '{entry.Name}' needs a workingFolder");
            }

            var owner = string.IsNullOrWhiteSpace(entry.Node) ? null : entry.Node.Trim();
            var url = ParseUrl(entry, location);
            var account = new LocalAccount(
                entry.Name, entry.WorkingFolder, PortRange.Parse(entry.PortRange, location + ".portRange"), owner, url,
                isRemote: owner is not null && !string.Equals(owner, ThisNode, StringComparison.Ordinal));
            if (!accounts.TryAdd(entry.Name, account))
            {
                throw new ValidationException(location + ".name", $"local account '{entry.Name}' is configured twice");
            }
        }

        Owned = [.. accounts.Values.Where(a => !a.IsRemote)];
        All = [.. accounts.Values.Select(Placement)];
        AnyBound = accounts.Values.Any(a => a.Node is not null);
    }

    /// <summary>Whether any account is bound to a node; when none is (one node), no stage work has an affinity.</summary>
    public bool AnyBound { get; }

    public string ThisNode { get; }

    /// <summary>Every configured local account, wherever it lives.</summary>
    public IReadOnlyList<LocalAccountPlacement> All { get; }

    /// <summary>The accounts whose processes run on this node's host: the only ones it restores, supervises and sweeps.</summary>
    public IReadOnlyList<LocalAccount> Owned { get; }

    /// <summary>Every configured account name, remote ones included (what stages may name).</summary>
    public IEnumerable<string> Names => accounts.Keys;

    /// <summary>An account this node owns; a <see cref="NotFoundException"/> for an unknown name, an <see cref="AccountOnOtherNodeException"/> for a remote one.</summary>
    public LocalAccount Get(string name)
    {
        var account = accounts.TryGetValue(name, out var found)
            ? found
            : throw new NotFoundException($"There is no local account named '{name}'; configured: {string.Join(", ", accounts.Keys)}");
        ThrowIfRemote(account);
        return account;
    }

    /// <summary>Refuses a remote account; an unknown name passes (the caller answers "not found" as before).</summary>
    public void ThrowIfRemote(string name)
    {
        if (accounts.TryGetValue(name, out var account))
        {
            ThrowIfRemote(account);
        }
    }

    /// <summary>The node an account is bound to, or null (unbound, or not a local account).</summary>
    public string? BoundNode(string account) => accounts.TryGetValue(account, out var found) ? found.Node : null;

    public LocalAccountPlacement? Find(string account) => accounts.TryGetValue(account, out var found) ? Placement(found) : null;

    private static void ThrowIfRemote(LocalAccount account)
    {
        if (account.IsRemote)
        {
            throw new AccountOnOtherNodeException(account.Name, account.Node!, account.NodeUrl);
        }
    }

    private static LocalAccountPlacement Placement(LocalAccount account) => new(account.Name, account.Node, account.NodeUrl, account.IsRemote);

    private static Uri? ParseUrl(LocalAccountOptions entry, string location)
    {
        if (string.IsNullOrWhiteSpace(entry.NodeUrl))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(entry.Node))
        {
            throw new ValidationException(location + ".nodeUrl", $"local account '{entry.Name}' has a nodeUrl but no node; set node to the owner's Mizzen:Node:Id");
        }

        return Uri.TryCreate(entry.NodeUrl.Trim(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new ValidationException(location + ".nodeUrl", $"'{entry.NodeUrl}' is not an http(s) URL such as http://deploy-b:8084");
    }
}

namespace Mizzen.Providers.Local.Api;

/// <summary>
/// Which node owns each local account (<c>Mizzen:Accounts:N:Node</c>). The API asks it before answering from this node's state:
/// a remote account's server groups, instances and logs exist only on its owner's host.
/// </summary>
public interface ILocalAccountPlacement
{
    /// <summary>This node's id (<c>Mizzen:Node:Id</c>).</summary>
    string ThisNode { get; }

    /// <summary>Every configured local account, owned here or not.</summary>
    IReadOnlyList<LocalAccountPlacement> All { get; }

    /// <summary>The account's placement, or null when no local account has that name.</summary>
    LocalAccountPlacement? Find(string account);
}

/// <summary>
/// Where a local account lives: <paramref name="Node"/> as configured (null: every node that reads the setting), whether that
/// is another node than this one, and the owner's base URL when configured.
/// </summary>
public sealed record LocalAccountPlacement(string Account, string? Node, Uri? NodeUrl, bool IsRemote);

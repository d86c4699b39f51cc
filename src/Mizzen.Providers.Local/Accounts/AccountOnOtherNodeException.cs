using Mizzen.Core.Errors;

namespace Mizzen.Providers.Local.Accounts;

/// <summary>
/// A request about a local account that another node owns (<see cref="LocalAccountOptions.Node"/>): this node has none of its
/// state, so answering "nothing there" would be a lie. The answer names the owner (and its URL when configured) to ask instead.
/// </summary>
public sealed class AccountOnOtherNodeException(string account, string node, Uri? nodeUrl)
    : MizzenException($"Local account '{account}' belongs to node '{node}'"
                      + (nodeUrl is null ? "" : $" ({nodeUrl.ToString().TrimEnd('/')})")
                      + $": its server groups, load balancers, instances and jobs live on that node's host; ask node '{node}'"
                      + (nodeUrl is null ? $" (set nodeUrl on the account so other nodes can forward there)" : ""))
{
    public override ErrorKind Kind => ErrorKind.Conflict;

    public string Account { get; } = account;

    public string Node { get; } = node;

    public Uri? NodeUrl { get; } = nodeUrl;
}

using Mizzen.Core.Errors;

namespace Mizzen.Server.Nodes;

/// <summary>The node that owns a local account did not answer a request this node passed on (HTTP 502, worth retrying).</summary>
public sealed class OwnerNodeUnavailableException(string node, Uri url, string reason, Exception? inner = null)
    : MizzenException($"Node '{node}' ({url.ToString().TrimEnd('/')}), which owns local accounts asked about, did not answer: {reason}", inner)
{
    public override ErrorKind Kind => ErrorKind.Upstream;

    public override bool IsTransient => true;
}

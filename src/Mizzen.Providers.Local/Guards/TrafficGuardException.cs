using Mizzen.Core.Errors;

namespace Mizzen.Providers.Local.Guards;

/// <summary>An operation refused because it would leave a guarded cluster with too few instances up.</summary>
public sealed class TrafficGuardException(string message) : MizzenException(message)
{
    /// <summary>The operation is refused because of the cluster's current state, not because the request is malformed.</summary>
    public override ErrorKind Kind => ErrorKind.Conflict;
}

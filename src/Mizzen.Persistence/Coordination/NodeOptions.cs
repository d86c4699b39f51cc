namespace Mizzen.Persistence.Coordination;

/// <summary>This node's identity among the nodes sharing a store. Bound from <c>Mizzen:Node</c>.</summary>
public sealed class NodeOptions
{
    /// <summary>
    /// Stable across restarts: at start a node releases only the queue leases held under its own id, and local accounts are
    /// bound to node ids. Default: the machine name. Two live nodes may not share an id (the second refuses to start).
    /// </summary>
    public string Id { get; set; } = Environment.MachineName;

    /// <summary>
    /// With PostgreSQL: how often an idle held connection (the signal listener, each leader lock) is proven alive with a
    /// round trip. A leader whose lock connection died stops its work within about this long, so another node can take over;
    /// a quiet listener notices a silently dropped connection no later than this. Default 5 seconds.
    /// </summary>
    public TimeSpan ConnectionCheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}

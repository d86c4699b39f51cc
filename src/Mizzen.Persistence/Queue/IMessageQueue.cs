namespace Mizzen.Persistence.Queue;

/// <summary>
/// The durable delay queue (Keiko's role) kept in the same database as executions, so a state change and the
/// messages it causes commit together. Claimed messages are leased to this node (<see cref="Coordination.NodeOptions.Id"/>);
/// the worker extends the leases of messages it is still handling, and a lease that runs out makes the message
/// deliverable again (its node died). Acknowledging is part of the handler's transaction. A message pushed with a
/// <see cref="OutgoingMessage.Node"/> is claimed only by that node (work on a host-bound local account).
/// Wake-ups when messages become due travel through <see cref="Coordination.INodeCoordination"/>.
/// </summary>
public interface IMessageQueue
{
    /// <summary>Leases up to <paramref name="max"/> due messages (those for any node or for this one) for <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<QueueMessage>> ClaimAsync(int max, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Heartbeat: extends the leases of messages this node still handles; returns the ones whose lease was already lost.</summary>
    Task<IReadOnlyList<QueueMessage>> ExtendLeasesAsync(IReadOnlyCollection<QueueMessage> messages, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Epoch ms of the next message's delivery time (of those this node may claim), or null when there is none.</summary>
    Task<long?> NextDeliveryAsync(CancellationToken cancellationToken);

    Task<int> DepthAsync(CancellationToken cancellationToken);

    /// <summary>Gives a claimed message back, deliverable at <paramref name="deliverAt"/> (a handler failed; try again later).</summary>
    Task ReleaseAsync(QueueMessage message, long deliverAt, CancellationToken cancellationToken);

    /// <summary>Acknowledges a claimed message outside any handler transaction (it was dead or obsolete).</summary>
    Task DropAsync(QueueMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// At start: makes every lease held under this node's id deliverable now (they belong to this node's previous life).
    /// Leases of other nodes are left alone; they run out on their own if their node is dead.
    /// </summary>
    Task ReleaseNodeLeasesAsync(CancellationToken cancellationToken);
}

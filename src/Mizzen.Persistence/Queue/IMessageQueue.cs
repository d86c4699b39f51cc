namespace Mizzen.Persistence.Queue;

/// <summary>
/// The durable delay queue (Keiko's role) kept in the same database as executions, so a state change and the
/// messages it causes commit together. Claimed messages are leased; a lease that runs out makes the message
/// deliverable again (its worker died). Acknowledging is part of the handler's transaction.
/// </summary>
public interface IMessageQueue
{
    /// <summary>Leases up to <paramref name="max"/> due messages for <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<QueueMessage>> ClaimAsync(int max, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Epoch ms of the next message's delivery time, or null when the queue is empty.</summary>
    Task<long?> NextDeliveryAsync(CancellationToken cancellationToken);

    Task<int> DepthAsync(CancellationToken cancellationToken);

    /// <summary>Gives a claimed message back, deliverable at <paramref name="deliverAt"/> (a handler failed; try again later).</summary>
    Task ReleaseAsync(QueueMessage message, long deliverAt, CancellationToken cancellationToken);

    /// <summary>Acknowledges a claimed message outside any handler transaction (it was dead or obsolete).</summary>
    Task DropAsync(QueueMessage message, CancellationToken cancellationToken);

    /// <summary>Makes every lease held by a previous run of this node deliverable now (single-node start-up).</summary>
    Task ReleaseAllLeasesAsync(CancellationToken cancellationToken);

    /// <summary>Raised after a commit that pushed a message due now, so pollers need not wait for their next tick.</summary>
    event Action? MessagesAvailable;
}

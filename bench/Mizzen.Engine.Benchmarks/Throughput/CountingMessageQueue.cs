using Mizzen.Persistence.Queue;

namespace Mizzen.Engine.Benchmarks.Throughput;

/// <summary>
/// Wraps the store's queue to count claim transactions and claimed messages (each claimed message is handled in one
/// write transaction of its own). Registered in place of the store's <see cref="IMessageQueue"/>, so the worker and processor use it.
/// </summary>
internal sealed class CountingMessageQueue(IMessageQueue inner) : IMessageQueue
{
    private long claims;
    private long emptyClaims;
    private long claimed;

    public long Claims => Interlocked.Read(ref claims);

    public long EmptyClaims => Interlocked.Read(ref emptyClaims);

    public long Claimed => Interlocked.Read(ref claimed);

    public async Task<IReadOnlyList<QueueMessage>> ClaimAsync(int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        var batch = await inner.ClaimAsync(max, lease, cancellationToken);
        Interlocked.Increment(ref claims);
        Interlocked.Add(ref claimed, batch.Count);
        if (batch.Count == 0)
        {
            Interlocked.Increment(ref emptyClaims);
        }

        return batch;
    }

    public Task<IReadOnlyList<QueueMessage>> ExtendLeasesAsync(IReadOnlyCollection<QueueMessage> messages, TimeSpan lease, CancellationToken cancellationToken) =>
        inner.ExtendLeasesAsync(messages, lease, cancellationToken);

    public Task<long?> NextDeliveryAsync(CancellationToken cancellationToken) => inner.NextDeliveryAsync(cancellationToken);

    public Task<int> DepthAsync(CancellationToken cancellationToken) => inner.DepthAsync(cancellationToken);

    public Task ReleaseAsync(QueueMessage message, long deliverAt, CancellationToken cancellationToken) =>
        inner.ReleaseAsync(message, deliverAt, cancellationToken);

    public Task DropAsync(QueueMessage message, CancellationToken cancellationToken) => inner.DropAsync(message, cancellationToken);

    public Task ReleaseNodeLeasesAsync(CancellationToken cancellationToken) => inner.ReleaseNodeLeasesAsync(cancellationToken);
}

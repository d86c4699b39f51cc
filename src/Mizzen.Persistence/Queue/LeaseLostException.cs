using Mizzen.Core.Errors;

namespace Mizzen.Persistence.Queue;

/// <summary>
/// The message being handled was re-claimed by another worker (its lease ran out): this worker's changes are dropped.
/// Mizzen's own affair, never the caller's: transient, because the worker that holds the lease now does the work.
/// </summary>
public sealed class LeaseLostException(QueueMessage message)
    : MizzenException($"lease on message {message.Id} ({message.Kind}) was lost; the handler's changes were rolled back")
{
    public QueueMessage QueueMessage { get; } = message;

    public override ErrorKind Kind => ErrorKind.Internal;

    public override bool IsTransient => true;
}

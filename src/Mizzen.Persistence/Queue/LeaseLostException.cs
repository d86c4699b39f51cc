namespace Mizzen.Persistence.Queue;

/// <summary>The message being handled was re-claimed by another worker (its lease ran out): this worker's changes are dropped.</summary>
public sealed class LeaseLostException(QueueMessage message)
    : Exception($"lease on message {message.Id} ({message.Kind}) was lost; the handler's changes were rolled back")
{
    public QueueMessage QueueMessage { get; } = message;
}

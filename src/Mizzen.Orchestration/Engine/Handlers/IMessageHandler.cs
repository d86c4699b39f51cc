using Mizzen.Orchestration.Queue;

namespace Mizzen.Orchestration.Engine.Handlers;

/// <summary>Handles one kind of message inside the transaction that will commit its effects.</summary>
public interface IMessageHandler
{
    string Kind { get; }

    Task HandleAsync(HandlerContext context, EngineMessage message, CancellationToken cancellationToken);
}

/// <summary>Typed base: the stage (if any) is looked up; a message for a stage that no longer exists is dropped.</summary>
public abstract class MessageHandler<TMessage> : IMessageHandler where TMessage : EngineMessage
{
    public abstract string Kind { get; }

    public Task HandleAsync(HandlerContext context, EngineMessage message, CancellationToken cancellationToken) =>
        HandleAsync(context, (TMessage)message, cancellationToken);

    protected abstract Task HandleAsync(HandlerContext context, TMessage message, CancellationToken cancellationToken);
}

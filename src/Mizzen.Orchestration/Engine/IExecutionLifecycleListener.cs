using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Told of a run's lifecycle events (Orca's echo-notifying execution and stage listeners) after the change is committed and
/// outside any transaction, so a slow or failing listener (an SMTP server, Slack) never holds up or fails the run. Durable: the
/// telling is a queued <see cref="Queue.NotifyLifecycle"/> message removed only after every listener returned; an exception
/// is retried with the queue's backoff (a <see cref="RetryLaterException"/> says how long to wait at least), and after the
/// engine's last attempt the event is dropped with a log. A crash or a retry tells every listener again, so a listener must be
/// idempotent: <see cref="ExecutionLifecycleEvent.Key"/> is the same on every telling of one event.
/// Events are only raised for runs and stages that have <c>notifications</c> (see <see cref="LifecycleEvents"/>).
/// </summary>
public interface IExecutionLifecycleListener
{
    /// <param name="lifecycle">What happened.</param>
    /// <param name="execution">The run as stored when the listener is told (it may have moved on since the event).</param>
    Task OnLifecycleAsync(ExecutionLifecycleEvent lifecycle, PipelineExecution execution, CancellationToken cancellationToken);
}

/// <summary>
/// One lifecycle event: <see cref="Name"/> is one of <see cref="LifecycleEvents"/>; <see cref="StageId"/> is set for stage events;
/// <see cref="At"/> is when the change happened (epoch ms). <see cref="Key"/> names this occurrence, stable across redelivery.
/// </summary>
public sealed record ExecutionLifecycleEvent(string ExecutionId, string Name, string? StageId, long At)
{
    public string Key => $"{ExecutionId}/{Name}/{StageId ?? "-"}/{At}";
}

/// <summary>Thrown by a listener that was told to wait (an HTTP 429 with <c>Retry-After</c>): the message is retried no sooner than <see cref="After"/>.</summary>
public sealed class RetryLaterException(TimeSpan after, string message, Exception? inner = null) : Exception(message, inner)
{
    public TimeSpan After { get; } = after;
}

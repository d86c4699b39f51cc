using Microsoft.Extensions.Logging;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;

namespace Mizzen.Triggers.Notifications;

/// <summary>
/// Sends a run's notifications (echo's notification agents) when the engine tells a lifecycle event: the pipeline's
/// <c>notifications</c> for pipeline events, the stage's for stage events; each entry whose <c>when</c> lists the event goes to each
/// of its recipients through the channel of its <c>type</c>. Every delivery is tried even when one fails; what was sent is recorded
/// (<see cref="NotificationDeliveries"/>), and when any failed the event is thrown back to the engine, which tells it again later with
/// backoff, and gives up with a log after its last attempt. A cancelled run notifies nothing (echo's rule); an unknown type is skipped.
/// </summary>
public sealed partial class NotificationLifecycleListener(
    IEnumerable<INotificationChannel> channels,
    NotificationText text,
    NotificationDeliveries deliveries,
    ILogger<NotificationLifecycleListener> logger) : IExecutionLifecycleListener
{
    private readonly Dictionary<string, INotificationChannel> byType = channels.ToDictionary(c => c.Type, StringComparer.OrdinalIgnoreCase);

    public async Task OnLifecycleAsync(ExecutionLifecycleEvent lifecycle, PipelineExecution execution, CancellationToken cancellationToken)
    {
        if (execution.Canceled || execution.Status == ExecutionStatus.Canceled)
        {
            return;
        }

        var stage = lifecycle.StageId is null ? null : execution.StageById(lifecycle.StageId);
        if (lifecycle.StageId is not null && stage is null)
        {
            return;
        }

        var entries = stage is null
            ? NotificationEntry.ListOf(execution.Notifications, "pipeline")
            : NotificationEntry.ListOf(LifecycleEvents.StageNotifications(stage), "stage");
        var fired = NotificationEvents.Fired(lifecycle, stage, entries);
        var failures = new List<Exception>();
        foreach (var entry in entries)
        {
            if (fired.FirstOrDefault(e => entry.When.Contains(e, StringComparer.Ordinal)) is not { } @event)
            {
                continue;
            }

            if (!byType.TryGetValue(entry.Type, out var channel))
            {
                LogUnknownType(execution.Id, entry.ToString());
                continue;
            }

            var rendered = text.Render(@event, entry, execution, stage);
            foreach (var recipient in channel.Recipients(entry))
            {
                if (await deliveries.WasSentAsync(lifecycle.Key, entry, recipient, cancellationToken))
                {
                    continue;
                }

                try
                {
                    await channel.SendAsync(rendered, recipient, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LogDeliveryFailed(execution.Id, @event, entry.ToString(), e.Message);
                    failures.Add(e);
                    continue;
                }

                await deliveries.RecordAsync(lifecycle.Key, entry, recipient, cancellationToken);
                LogSent(execution.Id, @event, entry.ToString());
            }
        }

        if (failures.Count > 0)
        {
            var message = $"{failures.Count} notification(s) of {lifecycle.Name} for execution {execution.Id} failed: {string.Join("; ", failures.Select(f => f.Message))}";
            var wait = failures.OfType<RetryLaterException>().Select(f => f.After).DefaultIfEmpty(TimeSpan.Zero).Max();
            throw new RetryLaterException(wait, message, failures.Count == 1 ? failures[0] : new AggregateException(failures));
        }
    }

    [LoggerMessage(EventId = 9302, Level = LogLevel.Information, Message = "The {Notification} of execution {ExecutionId} has a type Mizzen does not send; skipped")]
    private partial void LogUnknownType(string executionId, string notification);

    [LoggerMessage(EventId = 9303, Level = LogLevel.Warning, Message = "Sending the {Notification} of execution {ExecutionId} for {Event} failed: {Reason}; it will be retried")]
    private partial void LogDeliveryFailed(string executionId, string @event, string notification, string reason);

    [LoggerMessage(EventId = 9304, Level = LogLevel.Information, Message = "Sent the {Notification} of execution {ExecutionId} for {Event}")]
    private partial void LogSent(string executionId, string @event, string notification);
}

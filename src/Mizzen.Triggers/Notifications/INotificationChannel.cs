namespace Mizzen.Triggers.Notifications;

/// <summary>
/// One notification type (echo's notification agents): where an entry's messages go and how one is delivered. A delivery either
/// succeeds or throws (a <see cref="Orchestration.Engine.RetryLaterException"/> when the service said when to try again); the
/// listener records each success so a retry sends only what is missing. Credentials stay inside the channel: exception messages
/// never carry a password, token or secret URL.
/// </summary>
public interface INotificationChannel
{
    /// <summary>The notification <c>type</c> (case-insensitive).</summary>
    string Type { get; }

    /// <summary>The deliveries of an entry: each is sent and recorded on its own (a Slack channel, one email to all the addresses, a URL).</summary>
    IReadOnlyList<string> Recipients(NotificationEntry entry);

    Task SendAsync(RenderedNotification notification, string recipient, CancellationToken cancellationToken);
}

/// <summary>A notification that could not be delivered, with a message safe to log (no credentials).</summary>
public sealed class NotificationDeliveryException(string message, Exception? inner = null) : Exception(message, inner);

namespace Mizzen.Triggers.Notifications;

/// <summary>
/// <c>Mizzen:Notifications</c>: where notifications go out. Credentials (SMTP password, Slack token, Slack webhook URL) come only from
/// here (configuration, environment, files) and never appear in logs, errors or API answers.
/// </summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Mizzen:Notifications";

    /// <summary>
    /// The address users reach the UI at, for links in messages (<c>{PublicUrl}/ui/executions/{id}</c>). The server sets it from
    /// <c>Mizzen:PublicUrl</c>, else the address it listens on.
    /// </summary>
    public string? PublicUrl { get; set; }

    public EmailNotificationOptions Email { get; set; } = new();

    public SlackNotificationOptions Slack { get; set; } = new();
}

/// <summary><c>Mizzen:Notifications:Email</c>: the SMTP server that sends <c>email</c> notifications.</summary>
public sealed class EmailNotificationOptions
{
    /// <summary>The SMTP host. Without it, email notifications fail (retried, then given up with a log).</summary>
    public string? Host { get; set; }

    /// <summary>Default 587 (submission with STARTTLS).</summary>
    public int Port { get; set; } = 587;

    /// <summary>The sender address, e.g. <c>"Mizzen &lt;mizzen@example.com&gt;"</c>.</summary>
    public string From { get; set; } = "mizzen@localhost";

    /// <summary>When set, the client authenticates with <see cref="Password"/>.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Default <see cref="SmtpSecurity.StartTls"/>: the connection must be upgraded to TLS before anything is sent.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>How long one delivery may take (connect, authenticate, send). Default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>How the SMTP connection is protected.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text (a relay on the same host or network only).</summary>
    None,

    /// <summary>Connect in plain text, then STARTTLS; refuses servers that do not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}

/// <summary><c>Mizzen:Notifications:Slack</c>: a bot token (chat.postMessage), or an incoming webhook.</summary>
public sealed class SlackNotificationOptions
{
    /// <summary>A bot token (<c>xoxb-…</c>) with <c>chat:write</c>: messages go to the notification's channel through chat.postMessage.</summary>
    public string? Token { get; set; }

    /// <summary>Slack's Web API. Default <c>https://slack.com/api</c>.</summary>
    public string BaseUrl { get; set; } = "https://slack.com/api";

    /// <summary>An incoming webhook URL, used when there is no <see cref="Token"/> (the webhook's own channel, unless it allows others).</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>How long one Slack call may take. Default 20 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);
}

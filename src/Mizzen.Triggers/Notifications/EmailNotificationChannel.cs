using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Mizzen.Triggers.Notifications;

/// <summary>
/// <c>email</c>: one plain-text message per notification to every address of <c>address</c> (comma- or semicolon-separated), with
/// <c>cc</c> on copy, through the SMTP server of <c>Mizzen:Notifications:Email</c> (MailKit). The subject is the one-line summary,
/// the body the text with the link. Errors name the server and the SMTP reply, never the password.
/// </summary>
public sealed class EmailNotificationChannel(IOptions<NotificationOptions> options, Mizzen.Core.Secrets.ISecretStore? secrets = null) : INotificationChannel
{
    public string Type => "email";

    public IReadOnlyList<string> Recipients(NotificationEntry entry) =>
        Addresses(entry.Address) is { Count: > 0 } to ? [string.Join(", ", to)] : [];

    public async Task SendAsync(RenderedNotification notification, string recipient, CancellationToken cancellationToken)
    {
        var settings = options.Value.Email;
        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            throw new NotificationDeliveryException("email notifications need an SMTP server: set Mizzen:Notifications:Email:Host");
        }

        if (!MailboxAddress.TryParse(settings.From, out var from))
        {
            throw new NotificationDeliveryException($"Mizzen:Notifications:Email:From '{settings.From}' is not an email address");
        }

        var message = new MimeMessage();
        message.From.Add(from);
        message.To.AddRange(Addresses(recipient).Select(Mailbox));
        message.Cc.AddRange(Addresses(notification.Entry.Cc).Select(Mailbox));
        message.Subject = notification.Subject;
        message.Body = new TextPart("plain") { Text = notification.Text };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, Security(settings.Security), timeout.Token);
            if (!string.IsNullOrEmpty(settings.Username))
            {
                await client.AuthenticateAsync(settings.Username, NotificationSecrets.Resolve(settings.Password, secrets, "Mizzen:Notifications:Email:Password") ?? "", timeout.Token);
            }

            await client.SendAsync(message, timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NotificationDeliveryException($"the SMTP server {settings.Host}:{settings.Port} did not answer within {settings.Timeout.TotalSeconds:0} s");
        }
        catch (AuthenticationException)
        {
            throw new NotificationDeliveryException($"the SMTP server {settings.Host}:{settings.Port} refused the login of Mizzen:Notifications:Email:Username");
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException or IOException
            or System.Net.Sockets.SocketException or SslHandshakeException or NotSupportedException)
        {
            throw new NotificationDeliveryException($"sending email through {settings.Host}:{settings.Port} failed: {e.Message}");
        }
    }

    private static MailboxAddress Mailbox(string address) =>
        MailboxAddress.TryParse(address, out var mailbox)
            ? mailbox
            : throw new NotificationDeliveryException($"'{address}' in the email notification's address or cc is not an email address");

    private static SecureSocketOptions Security(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    /// <summary>The addresses of a comma- or semicolon-separated list.</summary>
    public static IReadOnlyList<string> Addresses(string? list) =>
        string.IsNullOrWhiteSpace(list) ? [] : [.. list.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

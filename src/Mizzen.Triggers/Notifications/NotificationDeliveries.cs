using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Persistence.Documents;

namespace Mizzen.Triggers.Notifications;

/// <summary>
/// Which notifications were sent, so a lifecycle event told again (a retry after another recipient failed, a redelivery after a crash)
/// sends each message once. One document per (event occurrence, notification, recipient), written right after the send succeeded;
/// the key is a hash, so recipients (a webhook URL with a token in it) are not stored in clear. At-least-once: a crash between the
/// send and the record sends that one message again.
/// </summary>
public sealed class NotificationDeliveries(IDocumentStore documents, TimeProvider time)
{
    public const string Collection = "notification-deliveries";

    public async Task<bool> WasSentAsync(string eventKey, NotificationEntry entry, string recipient, CancellationToken cancellationToken) =>
        await documents.GetAsync(Collection, Key(eventKey, entry, recipient), null, cancellationToken) is not null;

    public async Task RecordAsync(string eventKey, NotificationEntry entry, string recipient, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["event"] = eventKey,
            ["notification"] = $"{entry.Level}/{entry.Index}",
            ["type"] = entry.Type,
            ["sentAt"] = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        await documents.PutAsync(Collection, Key(eventKey, entry, recipient), body.ToJsonString(), "mizzen", cancellationToken);
    }

    private static string Key(string eventKey, NotificationEntry entry, string recipient) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{eventKey}\n{entry.Level}/{entry.Index}\n{entry.Type}\n{recipient}")));
}

using Mizzen.Core.Secrets;

namespace Mizzen.Triggers.Notifications;

/// <summary>
/// <c>${secret:name}</c> in a channel's credentials (<c>Mizzen:Notifications:Email:Password</c>, <c>Slack:Token</c>,
/// <c>Slack:WebhookUrl</c>), resolved when a notification is sent, so the value can live in a mounted file or a variable
/// instead of <c>mizzen.json</c>. A missing secret fails that delivery with a message naming the setting and the secret.
/// </summary>
internal static class NotificationSecrets
{
    public static string? Resolve(string? value, ISecretStore? secrets, string setting)
    {
        if (value is null || !SecretReferences.ContainsReference(value))
        {
            return value;
        }

        try
        {
            return SecretReferences.Resolve(value, secrets, pipelineField: false, new HashSet<string>(StringComparer.Ordinal));
        }
        catch (SecretNotFoundException e)
        {
            throw new NotificationDeliveryException($"{setting}: {e.Message}");
        }
    }
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Mizzen.Core.Json;

namespace Mizzen.Triggers.Notifications;

/// <summary>
/// <c>slack</c>: <c>address</c> names a channel (<c>deploys</c> or <c>#deploys</c>; several comma-separated) or is an incoming webhook
/// URL. A channel gets the message through <c>chat.postMessage</c> with the bot token of <c>Mizzen:Notifications:Slack:Token</c>, or,
/// without a token, through the incoming webhook of <c>Mizzen:Notifications:Slack:WebhookUrl</c>. Slack's <c>{"ok": false, "error"}</c>
/// is a failure naming the error; a 429 is retried no sooner than its <c>Retry-After</c>. The token and webhook URLs never appear in
/// errors or logs.
/// </summary>
public sealed class SlackNotificationChannel(IOptions<NotificationOptions> options, NotificationHttp http, Mizzen.Core.Secrets.ISecretStore? secrets = null) : INotificationChannel
{
    public string Type => "slack";

    public IReadOnlyList<string> Recipients(NotificationEntry entry) =>
        EmailNotificationChannel.Addresses(entry.Address?.Replace(';', ','));

    public async Task SendAsync(RenderedNotification notification, string recipient, CancellationToken cancellationToken)
    {
        var settings = options.Value.Slack;
        if (IsUrl(recipient, out var hook))
        {
            var answer = await http.PostPipelineUrlAsync(hook, new JsonObject { ["text"] = notification.Text }, "the Slack webhook of the notification", cancellationToken);
            NotificationHttp.EnsureSuccess(answer, "the Slack webhook of the notification");
            return;
        }

        var channel = Channel(recipient);
        if (!string.IsNullOrEmpty(settings.Token))
        {
            var url = new Uri($"{settings.BaseUrl.TrimEnd('/')}/chat.postMessage");
            var body = new JsonObject { ["channel"] = channel, ["text"] = notification.Text, ["unfurl_links"] = false };
            var what = $"Slack chat.postMessage to {channel}";
            var token = NotificationSecrets.Resolve(settings.Token, secrets, "Mizzen:Notifications:Slack:Token");
            var answer = await http.PostConfiguredAsync(url, body, token, settings.Timeout, what, cancellationToken);
            NotificationHttp.EnsureSuccess(answer, what);
            if (answer.Body is not JsonObject result || result["ok"].AsBool() != true)
            {
                var error = answer.Body is JsonObject r ? r["error"].AsString() ?? "no error given" : "not a JSON answer";
                throw new NotificationDeliveryException($"{what} failed: {error}");
            }

            return;
        }

        if (!string.IsNullOrEmpty(settings.WebhookUrl)
            && Uri.TryCreate(NotificationSecrets.Resolve(settings.WebhookUrl, secrets, "Mizzen:Notifications:Slack:WebhookUrl"), UriKind.Absolute, out var configured))
        {
            var what = $"the Slack webhook (Mizzen:Notifications:Slack:WebhookUrl) for {channel}";
            var answer = await http.PostConfiguredAsync(configured, new JsonObject { ["channel"] = channel, ["text"] = notification.Text },
                bearer: null, settings.Timeout, what, cancellationToken);
            NotificationHttp.EnsureSuccess(answer, what);
            return;
        }

        throw new NotificationDeliveryException(
            $"Slack notifications to {channel} need Mizzen:Notifications:Slack:Token (a bot token) or Mizzen:Notifications:Slack:WebhookUrl");
    }

    /// <summary>A channel name gets Slack's <c>#</c>; an id (C0123ABCD), <c>#name</c> or <c>@user</c> is kept.</summary>
    public static string Channel(string address)
    {
        var name = address.Trim();
        var isId = name.Length >= 9 && name[0] is 'C' or 'G' or 'D' or 'U' && name.All(c => char.IsUpper(c) || char.IsDigit(c));
        return name.StartsWith('#') || name.StartsWith('@') || isId ? name : "#" + name;
    }

    public static bool IsUrl(string address, out Uri url) =>
        Uri.TryCreate(address, UriKind.Absolute, out url!) && url.Scheme is "http" or "https";
}

using System.Text.Json.Nodes;
using Mizzen.Core.Model;

namespace Mizzen.Triggers.Notifications;

/// <summary>
/// <c>webhook</c>: POSTs the event as JSON to the http(s) URL in <c>address</c> (several comma-separated), under the webhook stage's
/// URL rules (see <see cref="NotificationHttp"/>): <c>{event, subject, text, link, execution: {id, name, application, status,
/// pipelineConfigId}, stage: {id, name, type, status}}</c>. Any 2xx is delivered; a 429/503 waits for its <c>Retry-After</c>.
/// </summary>
public sealed class WebhookNotificationChannel(NotificationHttp http) : INotificationChannel
{
    public string Type => "webhook";

    public IReadOnlyList<string> Recipients(NotificationEntry entry) => EmailNotificationChannel.Addresses(entry.Address);

    public async Task SendAsync(RenderedNotification notification, string recipient, CancellationToken cancellationToken)
    {
        if (!SlackNotificationChannel.IsUrl(recipient, out var url))
        {
            throw new NotificationDeliveryException($"webhook notification address '{recipient}' is not an http or https URL");
        }

        var what = $"the webhook notification's URL ({url.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped)})";
        var answer = await http.PostPipelineUrlAsync(url, Body(notification), what, cancellationToken);
        NotificationHttp.EnsureSuccess(answer, what);
    }

    public static JsonObject Body(RenderedNotification n)
    {
        var body = new JsonObject
        {
            ["event"] = n.Event,
            ["subject"] = n.Subject,
            ["text"] = n.Text,
            ["link"] = n.Link,
            ["execution"] = new JsonObject
            {
                ["id"] = n.Execution.Id,
                ["name"] = n.Execution.Name,
                ["application"] = n.Execution.Application,
                ["status"] = n.Execution.Status.ToWireName(),
                ["pipelineConfigId"] = n.Execution.PipelineConfigId,
            },
        };
        if (n.Stage is { } stage)
        {
            body["stage"] = new JsonObject { ["id"] = stage.Id, ["name"] = stage.Name, ["type"] = stage.Type, ["status"] = stage.Status.ToWireName() };
        }

        return body;
    }
}

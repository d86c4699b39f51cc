using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages.Webhook;

namespace Mizzen.Triggers.Notifications;

/// <summary>
/// HTTP for notifications. URLs the operator configured (Slack's API, the Slack webhook) go through the named client
/// <see cref="ClientName"/>; URLs a pipeline names (a webhook notification, a Slack webhook as <c>address</c>) go through the
/// webhook stage's client, so the same rules apply (<c>Mizzen:Webhook:AllowedUrlPrefixes</c>, no link-local or metadata
/// addresses, no redirects). Answers are turned into a failure that is safe to log: the URL is never in it.
/// </summary>
public sealed class NotificationHttp(IHttpClientFactory clients, WebhookHttpClient pipelineUrls)
{
    public const string ClientName = "notifications";

    /// <summary>POSTs JSON to an operator-configured URL with an optional bearer token.</summary>
    public async Task<WebhookResponse> PostConfiguredAsync(Uri url, JsonNode body, string? bearer, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToJsonString(MizzenJson.Options), Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, deadline.Token);
            return await WebhookResponse.ReadAsync(response, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NotificationDeliveryException($"{what} did not answer within {timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            throw new NotificationDeliveryException($"{what} could not be reached ({e.HttpRequestError})");
        }
    }

    /// <summary>POSTs JSON to a URL from a pipeline, under the webhook stage's rules.</summary>
    public async Task<WebhookResponse> PostPipelineUrlAsync(Uri url, JsonNode body, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await pipelineUrls.SendAsync("POST", url, body, null, cancellationToken);
        }
        catch (WebhookRequestException e)
        {
            // The path of a webhook URL is often its secret (Slack's incoming webhooks): only scheme and host stay in the message.
            var safe = e.Message.Replace(WebhookHttpClient.Redacted(url), url.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped), StringComparison.Ordinal);
            throw new NotificationDeliveryException($"{what}: {safe}");
        }
    }

    /// <summary>Throws unless the answer is a 2xx: a 429 or 503 with <c>Retry-After</c> becomes a <see cref="RetryLaterException"/>.</summary>
    public static void EnsureSuccess(WebhookResponse response, string what)
    {
        if (response.IsSuccess)
        {
            return;
        }

        var detail = response.Body is JsonValue v ? $": {Shorten(v.AsString())}" : response.Body?["error"].AsString() is { } error ? $": {error}" : "";
        var message = $"{what} answered HTTP {response.StatusCode}{detail}";
        if (response.StatusCode is 429 or 503)
        {
            var after = response.Headers["Retry-After"].AsString() is { } text && int.TryParse(text, out var seconds) && seconds >= 0
                ? TimeSpan.FromSeconds(seconds)
                : TimeSpan.Zero;
            throw new RetryLaterException(after, after > TimeSpan.Zero ? $"{message} (retry after {after.TotalSeconds:0} s)" : message);
        }

        throw new NotificationDeliveryException(message);
    }

    private static string? Shorten(string? text) => text is { Length: > 200 } ? text[..200] + "…" : text;
}

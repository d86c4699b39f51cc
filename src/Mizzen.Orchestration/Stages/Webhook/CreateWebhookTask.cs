using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Core.Secrets;
using Mizzen.Orchestration.Stages.PreconfiguredWebhook;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.Webhook;

/// <summary>
/// Calls the webhook. 2xx/3xx → SUCCEEDED (and, with <c>waitForCompletion</c>, the status URL is resolved);
/// a fail-fast code (default 504) → TERMINAL; 5xx, 429 or a <c>retryStatusCodes</c> code → RUNNING, tried again after
/// the backoff (or the server's <c>Retry-After</c>) until the 5 minute task timeout ends the retries; other codes → TERMINAL.
/// The response goes to <c>webhook</c> in both the context (Orca, Deck) and the outputs (later stages).
/// </summary>
public sealed class CreateWebhookTask(WebhookHttpClient http, PreconfiguredWebhooks? preconfigured = null) : ITask
{
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(1);

    public TimeSpan Backoff(TaskContext context) => TimeSpan.FromSeconds(10);

    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(5);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var settings = preconfigured?.Settings(context) ?? WebhookSettings.From(context.Context);
        if (SecretReferences.ContainsReference(settings.Url))
        {
            return TaskResult.Terminal(WebhookStage.SecretInUrl);
        }

        if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return TaskResult.Terminal($"The webhook url '{settings.Url}' is not an absolute http(s) URL");
        }

        if (!WebhookHttpClient.IsSupportedMethod(settings.Method))
        {
            return TaskResult.Terminal($"The webhook method '{settings.Method}' is not an HTTP method Mizzen sends (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)");
        }

        WebhookResponse response;
        try
        {
            response = await http.SendAsync(settings.Method, url, settings.Payload, settings.CustomHeaders, settings.Secrets, cancellationToken);
        }
        catch (WebhookRequestException e)
        {
            var webhook = new JsonObject { ["error"] = e.Message };
            return e.IsTransient ? Result(ExecutionStatus.Running, webhook) : Failed(e.Message, webhook);
        }

        var json = response.ToJson();
        var code = response.StatusCode;
        var target = WebhookHttpClient.Redacted(url);
        if (settings.FailFastStatusCodes.Contains(code))
        {
            json["error"] = "Received a status code configured to fail fast, terminating stage.";
            return Failed($"The webhook {target} answered {code}, a status code configured to fail fast", json);
        }

        if (code >= 500 || code == 429 || settings.RetryStatusCodes.Contains(code))
        {
            json["error"] = string.Create(CultureInfo.InvariantCulture,
                $"Error submitting webhook for pipeline {context.Execution.Id} to {target} with status code {code}, will retry.");
            var retryAfter = RetryAfter.From(response);
            return Result(ExecutionStatus.Running, json) with
            {
                BackoffOverride = retryAfter is null ? null : retryAfter < MaxRetryAfter ? retryAfter : MaxRetryAfter,
            };
        }

        if (code >= 400 || code < 200)
        {
            var error = string.Create(CultureInfo.InvariantCulture,
                $"Error submitting webhook for pipeline {context.Execution.Id} to {target} with status code {code}.");
            json["error"] = error;
            return Failed(error, json);
        }

        if (!settings.WaitForCompletion)
        {
            return Result(ExecutionStatus.Succeeded, json);
        }

        return StatusEndpoint(settings, url, response) switch
        {
            { Endpoint: { } endpoint } => Result(ExecutionStatus.Succeeded, Add(json, "statusEndpoint", endpoint), new JsonObject { ["statusEndpoint"] = endpoint }),
            { Error: var error } => Failed(error!, Add(json, "error", error!)),
        };
    }

    /// <summary>
    /// Where to poll: the webhook <c>url</c> (getMethod), the <c>Location</c> header (locationHeader, relative URLs resolved
    /// against the webhook URL) or a JsonPath into the body (webhookResponse). Orca: when the status URL has the webhook's
    /// host but another scheme, the webhook's scheme is kept.
    /// </summary>
    public static (string? Endpoint, string? Error) StatusEndpoint(WebhookSettings settings, Uri url, WebhookResponse response)
    {
        string? found;
        switch (settings.StatusUrlResolution.ToUpperInvariant())
        {
            case "GETMETHOD":
                found = url.ToString();
                break;
            case "LOCATIONHEADER":
                found = response.Location is null ? null : new Uri(url, response.Location).ToString();
                if (found is null)
                {
                    return (null, "The webhook response has no Location header to poll (statusUrlResolution: locationHeader)");
                }

                break;
            case "WEBHOOKRESPONSE":
                if (settings.StatusUrlJsonPath is null)
                {
                    return (null, "statusUrlJsonPath is required when statusUrlResolution is webhookResponse");
                }

                try
                {
                    found = JsonPathReader.Read(response.Body, settings.StatusUrlJsonPath) is JsonValue v ? v.ToString() : null;
                }
                catch (FormatException e)
                {
                    return (null, e.Message);
                }

                if (found is null)
                {
                    return (null, $"The webhook response has no status URL at '{settings.StatusUrlJsonPath}'");
                }

                break;
            default:
                return (null, $"Unknown statusUrlResolution '{settings.StatusUrlResolution}' (getMethod, locationHeader or webhookResponse)");
        }

        if (!Uri.TryCreate(url, found, out var status))
        {
            return (null, $"The status URL '{found}' is not a valid URL");
        }

        if (string.Equals(status.Host, url.Host, StringComparison.OrdinalIgnoreCase) && status.Scheme != url.Scheme)
        {
            status = new UriBuilder(status) { Scheme = url.Scheme, Port = status.IsDefaultPort ? -1 : status.Port }.Uri;
        }

        return (status.ToString(), null);
    }

    private static JsonObject Add(JsonObject json, string key, string value)
    {
        json[key] = value;
        return json;
    }

    private static TaskResult Result(ExecutionStatus status, JsonObject webhook, JsonObject? extraContext = null)
    {
        var context = extraContext ?? [];
        context["webhook"] = webhook;
        return new TaskResult(status, context, new JsonObject { ["webhook"] = webhook.DeepClone() });
    }

    private static TaskResult Failed(string error, JsonObject webhook)
    {
        var terminal = TaskResult.Terminal(error, new JsonObject { ["webhook"] = webhook });
        return terminal with { Outputs = new JsonObject { ["webhook"] = webhook.DeepClone() } };
    }
}

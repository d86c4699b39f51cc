using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.PreconfiguredWebhook;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.Webhook;

/// <summary>
/// Polls <c>statusEndpoint</c> (GET, with the custom headers). No <c>statusJsonPath</c> → SUCCEEDED on any 2xx.
/// Otherwise the value at <c>statusJsonPath</c>: a number is <c>percentComplete</c> (100 → SUCCEEDED); a string is
/// matched upper-case against <c>successStatuses</c> / <c>canceledStatuses</c> / <c>terminalStatuses</c>, else RUNNING;
/// a missing or non-scalar value → TERMINAL. 5xx/429/<c>retryStatusCodes</c> → RUNNING, limited per code by
/// <c>retries: {"503": {maxAttempts}}</c> (counted in <c>webhook.monitor.pastStatusCodes</c>).
/// The result is written to <c>webhook.monitor</c>. Backoff 1 s for the first minute, then 15 s (Orca).
/// </summary>
public sealed class MonitorWebhookTask(WebhookHttpClient http, PreconfiguredWebhooks? preconfigured = null) : ITask
{
    public const string StatusEndpointKey = "statusEndpoint";

    public bool TimeoutOverridableByStage => true;

    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromHours(1);

    public TimeSpan Backoff(TaskContext context)
    {
        var started = context.Task.StartTime ?? context.NowMs;
        return context.NowMs - started < 60_000 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(15);
    }

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var settings = preconfigured?.Settings(context) ?? WebhookSettings.From(context.Context);
        var endpoint = context.Context[StatusEndpointKey].AsString()
                       ?? context.Context["webhook"]?[StatusEndpointKey].AsString()
                       ?? (settings.MonitorOnly ? settings.Url : null);
        if (endpoint is null || !Uri.TryCreate(endpoint, UriKind.Absolute, out var url))
        {
            return Finish(context, ExecutionStatus.Terminal, new JsonObject(), $"No valid status endpoint to poll (got '{endpoint}')");
        }

        var monitor = new JsonObject();
        var pastCodes = context.Stage.Context["webhook"]?["monitor"]?["pastStatusCodes"] as JsonArray;
        monitor["pastStatusCodes"] = pastCodes?.DeepClone() ?? new JsonArray();
        WebhookResponse response;
        try
        {
            response = await http.SendAsync("GET", url, payload: null, settings.CustomHeaders, settings.Secrets, cancellationToken);
        }
        catch (WebhookRequestException e)
        {
            monitor["error"] = e.Message;
            return e.IsTransient ? Finish(context, ExecutionStatus.Running, monitor) : Finish(context, ExecutionStatus.Terminal, monitor, e.Message);
        }

        foreach (var (key, value) in response.ToJson())
        {
            monitor[key] = value?.DeepClone();
        }

        ((JsonArray)monitor["pastStatusCodes"]!).Add((long)response.StatusCode);
        return response.IsSuccess ? FromStatus(context, settings, response, monitor) : FromErrorCode(context, settings, response, monitor);
    }

    /// <summary>Best effort: when the run is cancelled, tell the remote side through <c>cancelEndpoint</c> (<c>cancelMethod</c>, <c>cancelPayload</c>).</summary>
    public async Task<TaskResult?> OnCancelAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var settings = preconfigured?.Settings(context) ?? WebhookSettings.From(context.Context);
        if (settings.CancelEndpoint is null || !Uri.TryCreate(settings.CancelEndpoint, UriKind.Absolute, out var url)
                                            || !WebhookHttpClient.IsSupportedMethod(settings.CancelMethod))
        {
            return null;
        }

        JsonObject cancel;
        try
        {
            var response = await http.SendAsync(settings.CancelMethod, url, settings.CancelPayload, settings.CustomHeaders, settings.Secrets, cancellationToken);
            cancel = new JsonObject { ["statusCode"] = WebhookResponse.StatusName(response.StatusCode), ["statusCodeValue"] = (long)response.StatusCode };
        }
        catch (WebhookRequestException e)
        {
            cancel = new JsonObject { ["error"] = e.Message };
        }

        var webhook = context.Stage.Context["webhook"] is JsonObject existing ? (JsonObject)existing.DeepClone() : new JsonObject();
        webhook["cancel"] = cancel;
        return new TaskResult(ExecutionStatus.Canceled, new JsonObject { ["webhook"] = webhook }, new JsonObject { ["webhook"] = webhook.DeepClone() });
    }

    private static TaskResult FromErrorCode(TaskContext context, WebhookSettings settings, WebhookResponse response, JsonObject monitor)
    {
        var code = response.StatusCode;
        if (code >= 500 || code == 429 || settings.RetryStatusCodes.Contains(code))
        {
            var seen = ((JsonArray)monitor["pastStatusCodes"]!).Count(c => c.AsLong() == code);
            if (settings.MaxAttemptsByStatusCode.TryGetValue(code, out var max) && seen >= max)
            {
                var error = string.Create(CultureInfo.InvariantCulture, $"The status endpoint answered {code} {seen} times (retries allow {max})");
                monitor["error"] = error;
                return Finish(context, ExecutionStatus.Terminal, monitor, error);
            }

            monitor["error"] = string.Create(CultureInfo.InvariantCulture, $"The status endpoint answered {code}; will retry");
            return Finish(context, ExecutionStatus.Running, monitor) with { BackoffOverride = RetryAfter.From(response) };
        }

        var message = string.Create(CultureInfo.InvariantCulture, $"The status endpoint answered {code}");
        monitor["error"] = message;
        return Finish(context, ExecutionStatus.Terminal, monitor, message);
    }

    private static TaskResult FromStatus(TaskContext context, WebhookSettings settings, WebhookResponse response, JsonObject monitor)
    {
        if (settings.StatusJsonPath is null)
        {
            return Finish(context, ExecutionStatus.Succeeded, monitor);
        }

        JsonNode? status;
        try
        {
            status = JsonPathReader.Read(response.Body, settings.StatusJsonPath);
            if (settings.ProgressJsonPath is not null && JsonPathReader.Read(response.Body, settings.ProgressJsonPath) is JsonValue progress)
            {
                monitor["progressMessage"] = progress.ToString();
            }
        }
        catch (FormatException e)
        {
            return Finish(context, ExecutionStatus.Terminal, monitor, e.Message);
        }

        if (status is not JsonValue value || value.GetValueKind() == JsonValueKind.Null)
        {
            var error = $"Unable to read a status at '{settings.StatusJsonPath}' in the status endpoint's response";
            monitor["error"] = error;
            return Finish(context, ExecutionStatus.Terminal, monitor, error);
        }

        if (value.GetValueKind() == JsonValueKind.Number)
        {
            var percent = value.GetValue<double>();
            monitor["percentComplete"] = value.DeepClone();
            return Finish(context, percent >= 100 ? ExecutionStatus.Succeeded : ExecutionStatus.Running, monitor);
        }

        var text = value.ToString().Trim().ToUpperInvariant();
        if (settings.SuccessStatuses.Contains(text))
        {
            return Finish(context, ExecutionStatus.Succeeded, monitor);
        }

        if (settings.CanceledStatuses.Contains(text))
        {
            return Finish(context, ExecutionStatus.Canceled, monitor);
        }

        return settings.TerminalStatuses.Contains(text)
            ? Finish(context, ExecutionStatus.Terminal, monitor, $"The status endpoint reported '{value}', a terminal status")
            : Finish(context, ExecutionStatus.Running, monitor);
    }

    /// <summary>Writes <c>webhook.monitor</c> into the stage's existing <c>webhook</c> object (so the create results stay).</summary>
    private static TaskResult Finish(TaskContext context, ExecutionStatus status, JsonObject monitor, string? error = null)
    {
        var webhook = context.Stage.Context["webhook"] is JsonObject existing ? (JsonObject)existing.DeepClone() : new JsonObject();
        webhook["monitor"] = monitor;
        var stageContext = new JsonObject { ["webhook"] = webhook };
        var outputs = new JsonObject { ["webhook"] = webhook.DeepClone() };
        if (error is not null)
        {
            stageContext["exception"] = TaskFailure.ExceptionJson("Webhook failed", [error]);
        }

        return new TaskResult(status, stageContext, outputs);
    }
}

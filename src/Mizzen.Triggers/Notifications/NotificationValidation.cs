using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Validation;
using MimeKit;

namespace Mizzen.Triggers.Notifications;

/// <summary>
/// Checks the notifications of a type Mizzen sends. Everything here is a warning (a notification never stops a pipeline from being
/// saved or run, and pipelines exported from Spinnaker must load): no address, no events, an event name echo does not know, an event
/// that never fires where the notification is (a stage event on a pipeline-level notification), an address the type cannot use.
/// </summary>
public sealed class NotificationValidation(string type) : INotificationValidation
{
    private static readonly string[] PipelineEvents = [LifecycleEvents.PipelineStarting, LifecycleEvents.PipelineComplete, LifecycleEvents.PipelineFailed];

    public string Type { get; } = type;

    public void Check(JsonObject notification, string path, List<ValidationProblem> problems)
    {
        var address = notification["address"].AsString();
        var atStage = path.StartsWith("stages[", StringComparison.Ordinal);
        if (string.IsNullOrWhiteSpace(address))
        {
            problems.Add(ValidationProblem.Warning($"{path}.address", $"notification '{Type}' has no address: nothing will be sent"));
        }
        else
        {
            CheckAddress(address!, $"{path}.address", problems);
        }

        var when = notification["when"] is JsonArray list ? list.Select(w => w.AsString()).OfType<string>().ToList() : [];
        if (when.Count == 0)
        {
            problems.Add(ValidationProblem.Warning($"{path}.when", $"notification '{Type}' lists no events in 'when': it is never sent"));
        }

        foreach (var @event in when)
        {
            if (!NotificationEvents.Known.Contains(@event))
            {
                problems.Add(ValidationProblem.Warning($"{path}.when", $"'{@event}' is not a notification event; use one of {string.Join(", ", NotificationEvents.Known)}"));
            }
            else if (!atStage && !PipelineEvents.Contains(@event))
            {
                problems.Add(ValidationProblem.Warning($"{path}.when",
                    $"'{@event}' is a stage event: a pipeline's notifications are sent for pipeline.* events only (put it in the stage's notifications)"));
            }
            else if (atStage && PipelineEvents.Contains(@event))
            {
                problems.Add(ValidationProblem.Warning($"{path}.when",
                    $"'{@event}' is a pipeline event: a stage's notifications are sent for its stage and judgment events only (put it in the pipeline's notifications)"));
            }
        }
    }

    private void CheckAddress(string address, string path, List<ValidationProblem> problems)
    {
        var parts = EmailNotificationChannel.Addresses(address);
        foreach (var part in parts)
        {
            var isUrl = SlackNotificationChannel.IsUrl(part, out _);
            if (Type == "webhook" && !isUrl)
            {
                problems.Add(ValidationProblem.Warning(path, $"'{part}' is not an http or https URL: a webhook notification posts to a URL"));
            }
            else if (Type == "email" && !part.Contains("${", StringComparison.Ordinal) && !MailboxAddress.TryParse(part, out _))
            {
                problems.Add(ValidationProblem.Warning(path, $"'{part}' is not an email address"));
            }
        }
    }
}

using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Validation;

namespace Mizzen.Triggers.Webhook;

/// <summary>
/// <c>webhook</c> triggers (echo's <c>WebhookEventHandler</c>): addressed when the trigger's <c>source</c> equals the path's
/// <c>{source}</c> (case-insensitive); fires when the posted body satisfies <c>payloadConstraints</c>. The body becomes
/// <c>trigger.payload</c>, its <c>parameters</c> the run's parameters and its <c>artifacts</c> the trigger's artifacts.
/// </summary>
public sealed class WebhookTriggerType : ITriggerType, ITriggerValidation
{
    public string Type => "webhook";

    public TriggerDecision Match(IndexedTrigger indexed, TriggerEvent triggerEvent)
    {
        var trigger = indexed.Trigger;
        if (!string.Equals(trigger["source"].AsString(), triggerEvent.Source, StringComparison.OrdinalIgnoreCase))
        {
            return TriggerDecision.NotAddressed;
        }

        return PayloadConstraints.Check(trigger["payloadConstraints"], triggerEvent.Payload) is { } failed
            ? TriggerDecision.Rejected(failed)
            : TriggerDecision.Matched;
    }

    /// <summary>A webhook trigger without a <c>source</c> can never be addressed; constraints must be a map of field to pattern.</summary>
    public void Check(JsonObject trigger, string path, List<ValidationProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(trigger["source"].AsString()))
        {
            problems.Add(ValidationProblem.Warning($"{path}.source",
                "a webhook trigger needs a source: it is started by POST /webhooks/webhook/{source}, and without one nothing reaches it"));
        }

        PayloadConstraints.Validate(trigger["payloadConstraints"], $"{path}.payloadConstraints", problems);
    }

    /// <summary>
    /// The event for a body posted to <c>/webhooks/webhook/{source}</c>. <paramref name="deliveryId"/> is the sender's id for this
    /// delivery (a header such as <c>X-Event-Id</c>, or the body's <c>eventId</c>); without one every post is a new event.
    /// </summary>
    public static TriggerEvent EventFor(string source, JsonObject body, string deliveryId, string from)
    {
        var fields = new JsonObject();
        if (body["parameters"] is JsonObject parameters)
        {
            fields["parameters"] = parameters.DeepClone();
        }

        return new TriggerEvent("webhook", deliveryId)
        {
            Source = source,
            Payload = body,
            Artifacts = (body["artifacts"] as JsonArray ?? []).OfType<JsonObject>().ToList(),
            TriggerFields = fields,
            Description = $"webhook '{source}' from {from}",
        };
    }
}

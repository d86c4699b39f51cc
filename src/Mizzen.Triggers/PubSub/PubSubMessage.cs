using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Triggers.PubSub;

/// <summary>
/// A message as a pull returns it (Pub/Sub v1 <c>ReceivedMessage</c>): <see cref="AckId"/> acknowledges this delivery; <see cref="MessageId"/>
/// is the same on every delivery of the message, so it is the event id that keeps a redelivery to one run.
/// </summary>
public sealed record PubSubMessage(string AckId, string MessageId, byte[] Data, JsonObject Attributes, string? PublishTime)
{
    /// <summary>Reads one <c>receivedMessages[]</c> entry of a pull response.</summary>
    public static PubSubMessage FromReceived(JsonObject received)
    {
        var message = received["message"] as JsonObject ?? [];
        byte[] data;
        try
        {
            data = Convert.FromBase64String(message["data"].AsString() ?? "");
        }
        catch (FormatException)
        {
            data = [];
        }

        var attributes = message["attributes"] as JsonObject is { } given ? (JsonObject)given.DeepClone() : [];
        return new PubSubMessage(received["ackId"].AsString() ?? "", message["messageId"].AsString() ?? "", data, attributes, message["publishTime"].AsString());
    }

    /// <summary>
    /// The trigger event for this message on <paramref name="subscription"/>: addressed by the subscription's name; the data, when it is a
    /// JSON object, is the payload (<c>payloadConstraints</c>, <c>trigger.payload</c>, its <c>parameters</c> the run's parameters); the
    /// attributes are matched by <c>attributeConstraints</c> and kept as <c>trigger.attributes</c>; artifacts by the subscription's format.
    /// </summary>
    public TriggerEvent ToEvent(GooglePubSubSubscription subscription)
    {
        var text = Encoding.UTF8.GetString(Data);
        var payload = ParseObject(text);
        var fields = new JsonObject
        {
            ["messageId"] = MessageId,
            ["attributes"] = Attributes.DeepClone(),
        };
        if (PublishTime is not null)
        {
            fields["publishTime"] = PublishTime;
        }

        if (payload is null && text.Length > 0)
        {
            fields["data"] = text; // not a JSON object: kept as text, so expressions can still read it
        }

        if (payload?["parameters"] is JsonObject parameters)
        {
            fields["parameters"] = parameters.DeepClone();
        }

        payload ??= [];
        return new TriggerEvent(PubSubTriggerType.TypeName, $"{subscription.Name}:{MessageId}")
        {
            Source = subscription.Name,
            Payload = payload,
            Artifacts = MessageArtifacts.Read(subscription.MessageFormat, payload, Attributes),
            TriggerFields = fields,
            Description = $"pubsub message {MessageId} on '{subscription.Name}' ({subscription.Path})",
        };
    }

    private static JsonObject? ParseObject(string text)
    {
        try
        {
            return text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

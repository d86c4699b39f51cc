using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Validation;

namespace Mizzen.Triggers.PubSub;

/// <summary>
/// <c>pubsub</c> triggers (echo's <c>PubsubEventHandler</c>): addressed when <c>pubsubSystem</c> is <c>google</c> and <c>subscriptionName</c>
/// equals the name of the configured subscription the message came from (case-insensitive); fires when <c>payloadConstraints</c> hold on
/// the message's JSON and <c>attributeConstraints</c> on its attributes. <see cref="GooglePubSubSubscriber"/> pulls the messages.
/// </summary>
public sealed class PubSubTriggerType(IOptions<GooglePubSubOptions> options) : ITriggerType, ITriggerValidation
{
    public const string TypeName = "pubsub";

    public const string Google = "google";

    /// <summary>Spinnaker's other systems: accepted with a warning, since nothing in Mizzen receives their messages.</summary>
    private static readonly string[] OtherSystems = ["amazon", "kafka"];

    public string Type => TypeName;

    public TriggerDecision Match(IndexedTrigger indexed, TriggerEvent triggerEvent)
    {
        var trigger = indexed.Trigger;
        if (!string.Equals(trigger["pubsubSystem"].AsString(), Google, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(trigger["subscriptionName"].AsString(), triggerEvent.Source, StringComparison.OrdinalIgnoreCase))
        {
            return TriggerDecision.NotAddressed;
        }

        var attributes = triggerEvent.TriggerFields["attributes"] as JsonObject ?? [];
        return (PayloadConstraints.Check(trigger["payloadConstraints"], triggerEvent.Payload)
                ?? PayloadConstraints.Check(trigger["attributeConstraints"], attributes, "attributeConstraints")) is { } failed
            ? TriggerDecision.Rejected(failed)
            : TriggerDecision.Matched;
    }

    /// <summary>
    /// <c>pubsubSystem</c> must be <c>google</c> (<c>amazon</c> and <c>kafka</c> are warnings: not received); <c>subscriptionName</c> must name a
    /// configured subscription — an error when subscriptions are configured (a typo), a warning when none are (offline validation, or a server
    /// without Pub/Sub: the pipeline saves, and the warning says the trigger starts nothing).
    /// </summary>
    public void Check(JsonObject trigger, string path, List<ValidationProblem> problems)
    {
        var system = trigger["pubsubSystem"].AsString();
        if (string.IsNullOrWhiteSpace(system))
        {
            problems.Add(new ValidationProblem($"{path}.pubsubSystem", "a pubsub trigger needs a pubsubSystem; Mizzen receives 'google' (Google Cloud Pub/Sub)"));
        }
        else if (OtherSystems.Contains(system, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add(ValidationProblem.Warning($"{path}.pubsubSystem", $"pubsubSystem '{system}' is not supported yet (only 'google'): this trigger starts nothing"));
        }
        else if (!string.Equals(system, Google, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(new ValidationProblem($"{path}.pubsubSystem", $"unknown pubsubSystem '{system}': Spinnaker's are google, amazon and kafka, and Mizzen receives 'google'"));
        }

        CheckSubscription(trigger["subscriptionName"].AsString(), system, $"{path}.subscriptionName", problems);
        PayloadConstraints.Validate(trigger["payloadConstraints"], $"{path}.payloadConstraints", problems);
        PayloadConstraints.Validate(trigger["attributeConstraints"], $"{path}.attributeConstraints", problems);
    }

    private void CheckSubscription(string? name, string? system, string path, List<ValidationProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add(new ValidationProblem(path, $"a pubsub trigger needs a subscriptionName: the name of a subscription in {GooglePubSubOptions.SectionName}:Subscriptions"));
            return;
        }

        if (!string.Equals(system, Google, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var configured = options.Value.Subscriptions;
        if (configured.Count == 0)
        {
            problems.Add(ValidationProblem.Warning(path,
                $"no Google Pub/Sub subscriptions are configured here ({GooglePubSubOptions.SectionName}:Subscriptions), so subscription '{name}' delivers nothing and this trigger starts nothing"));
        }
        else if (options.Value.Find(name) is null)
        {
            problems.Add(new ValidationProblem(path,
                $"no Google Pub/Sub subscription named '{name}' is configured (configured: {string.Join(", ", configured.Select(s => s.Name))})"));
        }
    }
}

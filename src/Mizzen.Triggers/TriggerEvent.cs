using System.Text.Json.Nodes;

namespace Mizzen.Triggers;

/// <summary>
/// Something that may start pipelines (echo's <c>Event</c>): a webhook delivery, a git push, a new image tag, a Pub/Sub message, a
/// cron tick, a finished build or pipeline. <see cref="Type"/> is the trigger type it is for (<c>webhook</c>, <c>git</c>, ...);
/// <see cref="EventId"/> identifies the delivery, so a redelivered event starts each pipeline once.
/// </summary>
public sealed record TriggerEvent(string Type, string EventId)
{
    /// <summary>Where the event is addressed within its type: a webhook's <c>source</c>, a git push's <c>github</c>/<c>gitlab</c>.</summary>
    public string? Source { get; init; }

    /// <summary>The event's body (the posted JSON, the message, the push), matched by <c>payloadConstraints</c>.</summary>
    public JsonObject Payload { get; init; } = [];

    /// <summary>Artifacts the event carries (Spinnaker's artifact model: type, name, version, reference ...).</summary>
    public IReadOnlyList<JsonObject> Artifacts { get; init; } = [];

    /// <summary>Fields the event adds to the run's trigger (a push's <c>hash</c> and <c>branch</c>, a tag, <c>parameters</c>).</summary>
    public JsonObject TriggerFields { get; init; } = [];

    /// <summary>Who or what sent it, in words, for the trigger's status ("webhook 'ci' from 127.0.0.1").</summary>
    public string Description { get; init; } = "";
}

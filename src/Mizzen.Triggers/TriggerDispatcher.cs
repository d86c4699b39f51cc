using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Engine;

namespace Mizzen.Triggers;

/// <summary>
/// Starts the pipelines an event is for (echo's <c>BaseTriggerEventHandler</c>): for each trigger of the event's type, the type's rule
/// decides whether it is addressed and matches; then, when the trigger names <c>expectedArtifactIds</c>, at least one of the event's
/// artifacts must match one of those expected artifacts; then the run starts with the trigger as written plus the event's fields.
/// Starts are idempotent: the run's <c>correlationId</c> is the event id with the pipeline and trigger, so a redelivered event finds
/// the run it started instead of starting another. A disabled trigger or pipeline starts nothing. Every addressed trigger's outcome
/// is recorded (<see cref="TriggerStatusStore"/>). One trigger's failure (an artifact that does not bind) never stops the others.
/// </summary>
public sealed partial class TriggerDispatcher(
    TriggerIndex index,
    IEnumerable<ITriggerType> types,
    IExecutionRunner runner,
    TriggerStatusStore status,
    TimeProvider time,
    ILogger<TriggerDispatcher> logger)
{
    private readonly Dictionary<string, ITriggerType> byType = types.ToDictionary(t => t.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>The user a run started by a trigger runs as when the trigger names no <c>runAsUser</c>.</summary>
    public const string AnonymousUser = "anonymous";

    public async Task<IReadOnlyList<TriggerOutcome>> DispatchAsync(TriggerEvent triggerEvent, CancellationToken cancellationToken)
    {
        if (!byType.TryGetValue(triggerEvent.Type, out var type))
        {
            throw new ValidationException("type", $"no trigger type '{triggerEvent.Type}' is registered");
        }

        var outcomes = new List<TriggerOutcome>();
        foreach (var candidate in await index.OfTypeAsync(triggerEvent.Type, cancellationToken))
        {
            var decision = type.Match(candidate, triggerEvent);
            if (decision.Verdict == TriggerVerdict.NotAddressed)
            {
                continue;
            }

            var (outcome, recorded) = await HandleAsync(candidate, triggerEvent, decision, cancellationToken);
            outcomes.Add(outcome);
            if (!recorded)
            {
                await status.RecordAsync(outcome, cancellationToken);
            }
        }

        return outcomes;
    }

    /// <summary>The outcome, and whether it is stored already (a start records it in the run's own transaction).</summary>
    private async Task<(TriggerOutcome Outcome, bool Recorded)> HandleAsync(IndexedTrigger candidate, TriggerEvent triggerEvent, TriggerDecision decision, CancellationToken cancellationToken)
    {
        var outcome = new TriggerOutcome
        {
            PipelineConfigId = candidate.Config.Id ?? "",
            Application = candidate.Config.Application,
            Pipeline = candidate.Config.Name,
            TriggerIndex = candidate.Index,
            Type = triggerEvent.Type,
            EventId = triggerEvent.EventId,
            At = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Event = triggerEvent.Description,
            Result = "skipped",
        };
        if (!candidate.Enabled)
        {
            return (outcome with { Reason = candidate.Config.Disabled ? "the pipeline is disabled" : "the trigger is not enabled (\"enabled\": true)" }, false);
        }

        if (decision.Verdict == TriggerVerdict.Rejected)
        {
            return (outcome with { Reason = decision.Reason }, false);
        }

        if (UnmatchedArtifacts(candidate, triggerEvent) is { } why)
        {
            return (outcome with { Reason = why }, false);
        }

        var trigger = BuildTrigger(candidate, triggerEvent);
        try
        {
            var user = candidate.Trigger["runAsUser"].AsString() is { Length: > 0 } runAs ? runAs : AnonymousUser;

            // The outcome is stored in the run's own transaction: one commit per event, and a status that names a run only if the run
            // is stored. A redelivery gets the run the first delivery started (same correlation id), and is recorded as a duplicate.
            var started = outcome;
            var execution = await runner.StartAsync(candidate.Config, trigger, user, (transaction, stored, created) =>
            {
                started = outcome with { Result = created ? "started" : "duplicate", ExecutionId = stored.Id };
                status.Record(transaction, started);
            }, cancellationToken);
            LogStarted(logger, triggerEvent.Type, triggerEvent.EventId, candidate.Config.Application, candidate.Config.Name, execution.Id);
            return (started, true);
        }
        catch (MizzenException e)
        {
            LogNotStarted(logger, triggerEvent.Type, triggerEvent.EventId, candidate.Config.Application, candidate.Config.Name, e.Message);
            var problems = e.Problems.Count > 0 ? string.Join("; ", e.Problems.Select(p => p.ToString())) : e.Message;
            return (outcome with { Result = "failed", Reason = problems }, false);
        }
    }

    /// <summary>
    /// The run's trigger: the trigger as the pipeline writes it (type, enabled, source, constraints, runAsUser, expectedArtifactIds ...),
    /// then the event's fields, its payload, artifacts and ids.
    /// </summary>
    private static JsonObject BuildTrigger(IndexedTrigger candidate, TriggerEvent triggerEvent)
    {
        var trigger = (JsonObject)candidate.Trigger.DeepClone();
        trigger.Remove("secret"); // a git trigger's shared secret: never in a run's trigger, its JSON, logs or the UI
        foreach (var (name, value) in triggerEvent.TriggerFields)
        {
            trigger[name] = value?.DeepClone();
        }

        if (triggerEvent.Payload.Count > 0)
        {
            trigger["payload"] ??= triggerEvent.Payload.DeepClone();
        }

        trigger["artifacts"] = new JsonArray([.. triggerEvent.Artifacts.Select(a => (JsonNode)a.DeepClone())]);
        trigger["eventId"] = triggerEvent.EventId;
        trigger["correlationId"] = $"{triggerEvent.Type}:{triggerEvent.EventId}:{candidate.Key}";
        return trigger;
    }

    /// <summary>Echo's artifact constraint: with <c>expectedArtifactIds</c>, one of the event's artifacts must match one of them.</summary>
    private static string? UnmatchedArtifacts(IndexedTrigger candidate, TriggerEvent triggerEvent)
    {
        var ids = (candidate.Trigger["expectedArtifactIds"] as JsonArray ?? []).Select(i => i.AsString()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return null;
        }

        var expected = (candidate.Config.Json["expectedArtifacts"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(e => e["id"].AsString() is { } id && ids.Contains(id))
            .ToList();
        var matched = expected.Any(e => triggerEvent.Artifacts.Any(a => ArtifactMatching.Matches(e["matchArtifact"] as JsonObject ?? [], a)));
        return matched ? null : $"none of the event's {triggerEvent.Artifacts.Count} artifact(s) matches the trigger's expected artifacts ({string.Join(", ", ids)})";
    }

    // Debug: at a hundred events a second an Information line per start cost 7 % of the server's CPU (console logger, measured with
    // dotnet-trace in the webhook bench), and the start is on record twice already: the run's trigger and the trigger's status.
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Type} event {EventId} started {Application}/{Pipeline}: {ExecutionId}")]
    private static partial void LogStarted(ILogger logger, string type, string eventId, string application, string pipeline, string executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Type} event {EventId} did not start {Application}/{Pipeline}: {Reason}")]
    private static partial void LogNotStarted(ILogger logger, string type, string eventId, string application, string pipeline, string reason);
}

using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Persistence.Pipelines;
using Mizzen.Triggers.Cron;

namespace Mizzen.Triggers;

/// <summary>One trigger of a pipeline as people read it: what starts it, in words, whether it is on, and what it last did.</summary>
public sealed record TriggerSummary(
    int Index,
    string Type,
    bool Enabled,
    string Description,
    JsonObject Trigger,
    TriggerOutcome? LastEvent,
    DateTimeOffset? NextRun);

/// <summary>
/// The triggers of one pipeline with their last outcome (<see cref="TriggerStatusStore"/>): what <c>GET /pipelines/{app}/{name}/triggers</c>
/// answers and the UI's triggers page shows, from one place. A trigger's shared <c>secret</c> is shown as <c>(set)</c>, never itself.
/// </summary>
public sealed class TriggerOverview(TriggerStatusStore status, IPipelineConfigStore configs, IOptions<CronOptions> cron, TimeProvider time)
{
    public async Task<IReadOnlyList<TriggerSummary>> ForAsync(PipelineConfig config, CancellationToken cancellationToken)
    {
        var triggers = config.Json["triggers"] as JsonArray ?? [];
        var result = new List<TriggerSummary>();
        for (var i = 0; i < triggers.Count; i++)
        {
            if (triggers[i] is not JsonObject trigger)
            {
                continue;
            }

            var shown = (JsonObject)trigger.DeepClone();
            if (shown["secret"] is not null)
            {
                shown["secret"] = "(set)"; // a git trigger's shared secret is never shown
            }

            var type = trigger["type"].AsString() ?? "";
            var enabled = trigger["enabled"].AsBool() == true && !config.Disabled;
            var last = config.Id is { } id ? await status.GetAsync(id, i, cancellationToken) : null;
            result.Add(new TriggerSummary(i, type, enabled, await DescribeAsync(type, trigger, cancellationToken), shown, last, NextRun(config, trigger, i, enabled)));
        }

        return result;
    }

    /// <summary>The summary as the API shows it: the trigger as written (secret hidden), its description, next run and last event.</summary>
    public static JsonObject ToJson(TriggerSummary summary)
    {
        var entry = new JsonObject
        {
            ["index"] = summary.Index,
            ["type"] = summary.Type,
            ["enabled"] = summary.Enabled,
            ["description"] = summary.Description,
            ["trigger"] = summary.Trigger.DeepClone(),
        };
        if (summary.NextRun is { } next)
        {
            entry["nextRun"] = next.ToUnixTimeMilliseconds();
        }

        if (summary.LastEvent is { } last)
        {
            entry["lastEvent"] = TriggerStatusStore.ToJson(last);
        }

        return entry;
    }

    private DateTimeOffset? NextRun(PipelineConfig config, JsonObject trigger, int index, bool enabled)
    {
        if (!enabled || !string.Equals(trigger["type"].AsString(), "cron", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var indexed = new IndexedTrigger(config, index, trigger);
        try
        {
            return CronTriggerType.Schedule(indexed)?.Next(time.GetUtcNow(), cron.Value.Zone());
        }
        catch (InvalidOperationException)
        {
            return null; // an unknown time zone is reported at start-up
        }
    }

    private async Task<string> DescribeAsync(string type, JsonObject t, CancellationToken cancellationToken)
    {
        string? F(string name) => t[name].AsString() is { Length: > 0 } value ? value : null;
        string Constraints() => t["payloadConstraints"] is JsonObject { Count: > 0 } c
            ? $" when {string.Join(", ", c.Select(p => $"{p.Key} matches /{p.Value}/"))}"
            : "";
        switch (type.ToLowerInvariant())
        {
            case "manual":
                return "started by hand";
            case "webhook":
                return $"POST /webhooks/webhook/{F("source") ?? "?"}{Constraints()}";
            case "git":
                return $"a push to {F("source") ?? "git"} {F("project") ?? "?"}/{F("slug") ?? "?"}"
                       + (F("branch") is { } branch ? $", branch matching /{branch}/" : ", any branch")
                       + (t["secret"] is not null ? ", signed with the trigger's secret" : "");
            case "cron":
                return $"on the schedule '{F("cronExpression") ?? "?"}' ({cron.Value.TimeZone})";
            case "pipeline":
                var parent = F("pipeline") is { } parentId ? await configs.GetAsync(parentId, cancellationToken) : null;
                var statuses = t["status"] is JsonArray s && s.Count > 0 ? string.Join(" or ", s.Select(x => x.AsString())) : "(no status listed: never fires)";
                return $"when {(parent is null ? $"pipeline {F("pipeline") ?? "?"}" : $"{parent.Application}/{parent.Name}")} ends {statuses}";
            case "docker":
                return $"a new tag of {F("registry") ?? F("account") ?? "?"}/{F("repository") ?? "?"}"
                       + (F("tag") is { } tag ? $" matching /{tag}/" : "");
            case "jenkins":
                return $"a finished build of {F("job") ?? "?"} on {F("master") ?? "?"}";
            case "pubsub":
                return $"a message on {F("pubsubSystem") ?? "google"} subscription {F("subscriptionName") ?? "?"}{Constraints()}";
            default:
                return $"{type} (not supported by this Mizzen)";
        }
    }
}

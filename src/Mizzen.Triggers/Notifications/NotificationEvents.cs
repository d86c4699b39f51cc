using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages.ManualJudgment;

namespace Mizzen.Triggers.Notifications;

/// <summary>
/// The <c>when</c> values a notification can list (echo's names), and which of them an engine lifecycle event stands for. A manual
/// judgment stage adds its own: <c>manualJudgment</c> when it starts waiting, <c>manualJudgmentContinue</c> / <c>manualJudgmentStop</c>
/// when it ends with that decision; when any of the stage's notifications lists one of those, its plain <c>stage.*</c> events are
/// not sent (as echo does).
/// </summary>
public static class NotificationEvents
{
    public const string ManualJudgment = "manualJudgment";
    public const string ManualJudgmentContinue = "manualJudgmentContinue";
    public const string ManualJudgmentStop = "manualJudgmentStop";

    public static IReadOnlySet<string> Known { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        LifecycleEvents.PipelineStarting, LifecycleEvents.PipelineComplete, LifecycleEvents.PipelineFailed,
        LifecycleEvents.StageStarting, LifecycleEvents.StageComplete, LifecycleEvents.StageFailed,
        ManualJudgment, ManualJudgmentContinue, ManualJudgmentStop,
    };

    private static readonly string[] JudgmentEvents = [ManualJudgment, ManualJudgmentContinue, ManualJudgmentStop];

    /// <summary>The <c>when</c> values <paramref name="lifecycle"/> fires, given the notifications it is checked against.</summary>
    public static IReadOnlyList<string> Fired(ExecutionLifecycleEvent lifecycle, StageExecution? stage, IReadOnlyList<NotificationEntry> entries)
    {
        if (stage is null || stage.Type != ManualJudgmentStage.StageType)
        {
            return [lifecycle.Name];
        }

        var judgment = stage.Context[WaitForJudgmentTask.JudgmentStatusKey].AsString()?.Trim().ToLowerInvariant();
        string? judgmentEvent = (lifecycle.Name, judgment) switch
        {
            (LifecycleEvents.StageStarting, _) => ManualJudgment,
            (LifecycleEvents.StageComplete, "continue") => ManualJudgmentContinue,
            (LifecycleEvents.StageFailed, "stop") => ManualJudgmentStop,
            _ => null,
        };
        var suppressPlain = entries.Any(e => e.When.Any(w => JudgmentEvents.Contains(w, StringComparer.Ordinal)));
        return [.. new[] { judgmentEvent, suppressPlain ? null : lifecycle.Name }.OfType<string>()];
    }
}

/// <summary>
/// One entry of a pipeline's or stage's <c>notifications</c>, as Spinnaker writes it:
/// <c>{type, address, cc, level, when: [...], message: {"pipeline.failed": {"text": "..."}}}</c>. <see cref="Index"/> is its place in the list.
/// </summary>
public sealed record NotificationEntry(int Index, string Level, string Type, string? Address, string? Cc, IReadOnlyList<string> When, JsonObject Raw)
{
    public static IReadOnlyList<NotificationEntry> ListOf(JsonArray? notifications, string level) =>
        notifications is null
            ? []
            : [.. notifications.Select((n, i) => n is JsonObject o ? From(o, i, level) : null).OfType<NotificationEntry>()];

    private static NotificationEntry From(JsonObject o, int index, string level) => new(
        index,
        level,
        o["type"].AsString()?.Trim() ?? "",
        o["address"].AsString()?.Trim(),
        o["cc"].AsString()?.Trim(),
        o["when"] is JsonArray when ? [.. when.Select(w => w.AsString()).OfType<string>()] : [],
        o);

    /// <summary>The custom text for <paramref name="event"/> (<c>message[event].text</c>), when there is one.</summary>
    public string? CustomText(string @event) =>
        Raw["message"] is JsonObject messages && messages[@event] is JsonObject message && message["text"].AsString() is { Length: > 0 } text ? text : null;

    /// <summary>Names the entry in logs without its address (which may be a secret webhook URL).</summary>
    public override string ToString() => $"{Level} notification {Index} ({Type})";
}

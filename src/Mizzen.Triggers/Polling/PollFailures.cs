namespace Mizzen.Triggers.Polling;

/// <summary>
/// Makes a failing poll visible where users look for "why did my trigger not fire": every enabled trigger the failing source
/// addresses gets a <c>failed</c> outcome in <see cref="TriggerStatusStore"/> naming the source and the error (never a credential:
/// the pollers' errors are written without them). Recorded when the error starts or changes, not on every failed poll; when the
/// source answers again, a <c>skipped</c> outcome says so, on the triggers whose last outcome is still that failure (an event the
/// same poll dispatched keeps its own outcome).
/// </summary>
public sealed class PollFailures(TriggerStatusStore status, TimeProvider time)
{
    public async Task RecordAsync(IEnumerable<IndexedTrigger> triggers, string type, string source, string? error, CancellationToken cancellationToken)
    {
        var eventId = $"poll {source}";
        foreach (var trigger in triggers)
        {
            if (error is null && (await status.GetAsync(trigger.Config.Id ?? "", trigger.Index, cancellationToken))?.EventId != eventId)
            {
                continue;
            }

            await status.RecordAsync(new TriggerOutcome
            {
                PipelineConfigId = trigger.Config.Id ?? "",
                Application = trigger.Config.Application,
                Pipeline = trigger.Config.Name,
                TriggerIndex = trigger.Index,
                Type = type,
                EventId = eventId,
                At = time.GetUtcNow().ToUnixTimeMilliseconds(),
                Result = error is null ? "skipped" : "failed",
                Reason = error is null ? $"polling {source} works again; nothing new yet" : $"polling {source} failed: {error}",
                Event = $"poll of {source}",
            }, cancellationToken);
        }
    }
}

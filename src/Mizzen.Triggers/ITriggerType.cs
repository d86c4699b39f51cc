namespace Mizzen.Triggers;

/// <summary>
/// One trigger type's matching rule (echo's <c>matchTriggerFor</c>): whether an enabled trigger of a pipeline config, as written in
/// its <c>triggers</c> list, fires for an event of the same type. Register implementations with <c>AddTriggerType</c>.
/// </summary>
public interface ITriggerType
{
    /// <summary>The <c>type</c> in pipeline JSON and in <see cref="TriggerEvent.Type"/>.</summary>
    string Type { get; }

    /// <summary>Whether <paramref name="trigger"/> (its JSON is <see cref="IndexedTrigger.Trigger"/>) is addressed by, and fires for, the event.</summary>
    TriggerDecision Match(IndexedTrigger trigger, TriggerEvent triggerEvent);
}

/// <summary>How a trigger answered an event.</summary>
public enum TriggerVerdict
{
    /// <summary>The event is not addressed to this trigger (another webhook source, another repository): not recorded.</summary>
    NotAddressed,

    /// <summary>Addressed to it, but a constraint failed: recorded with the reason, so "why did it not fire" has an answer.</summary>
    Rejected,

    /// <summary>Fires.</summary>
    Matched,
}

public readonly record struct TriggerDecision(TriggerVerdict Verdict, string? Reason)
{
    public static TriggerDecision NotAddressed { get; } = new(TriggerVerdict.NotAddressed, null);

    public static TriggerDecision Matched { get; } = new(TriggerVerdict.Matched, null);

    public static TriggerDecision Rejected(string reason) => new(TriggerVerdict.Rejected, reason);
}

using Microsoft.Extensions.Time.Testing;

namespace Mizzen.Testing;

/// <summary>
/// Where test clocks start: Monday 2026-11-02 09:00:00 UTC (inside business hours, so execution-window tests read naturally).
/// Tests use <see cref="FakeTimeProvider"/>: time moves only on <see cref="FakeTimeProvider.Advance"/> /
/// <see cref="FakeTimeProvider.SetUtcNow"/>, and timers created from it fire then, each at its own due instant.
/// </summary>
public static class TestTime
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A fresh <see cref="FakeTimeProvider"/> at <see cref="Start"/> (UTC local zone).</summary>
    public static FakeTimeProvider Clock() => new(Start);
}

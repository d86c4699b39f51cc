using Mizzen.Core.Model;

namespace Mizzen.Cli.Output;

/// <summary>How times, durations and statuses read in tables.</summary>
internal static class Display
{
    /// <summary>Epoch milliseconds as <c>yyyy-MM-dd HH:mm:ss</c> in the clock's local time zone.</summary>
    public static string? Time(long? epochMs, TimeProvider clock) =>
        epochMs is { } ms ? Local(ms, clock).ToString("yyyy-MM-dd HH:mm:ss") : null;

    /// <summary>Epoch milliseconds as <c>HH:mm:ss</c> in the clock's local time zone.</summary>
    public static string ClockTime(long epochMs, TimeProvider clock) => Local(epochMs, clock).ToString("HH:mm:ss");

    /// <summary>From start to end, or to now while still running; null when it has not started.</summary>
    public static string? Duration(long? startMs, long? endMs, TimeProvider clock)
    {
        if (startMs is not { } start)
        {
            return null;
        }

        var end = endMs ?? clock.GetUtcNow().ToUnixTimeMilliseconds();
        return Duration(TimeSpan.FromMilliseconds(Math.Max(0, end - start)));
    }

    public static string Duration(TimeSpan span) => span switch
    {
        { TotalSeconds: < 1 } => $"{span.Milliseconds}ms",
        { TotalMinutes: < 1 } => $"{span.Seconds}s",
        { TotalHours: < 1 } => $"{span.Minutes}m {span.Seconds:00}s",
        _ => $"{(int)span.TotalHours}h {span.Minutes:00}m",
    };

    public static string Status(ExecutionStatus status) => status.ToWireName();

    private static DateTimeOffset Local(long epochMs, TimeProvider clock) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(epochMs), clock.LocalTimeZone);
}

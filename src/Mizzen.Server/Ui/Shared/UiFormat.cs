using System.Globalization;
using Mizzen.Core.Model;

namespace Mizzen.Server.Ui.Shared;

/// <summary>How the UI writes statuses, times and durations: one place, so every view says them the same way.</summary>
public static class UiFormat
{
    /// <summary>The CSS colour of a status (a custom property of mizzen.css), for bars, graph nodes and badges alike.</summary>
    public static string Colour(ExecutionStatus status) => $"var(--{status.ToWireName().ToLowerInvariant().Replace('_', '-')})";

    /// <summary>A status in words, e.g. <c>NOT_STARTED</c> → "not started".</summary>
    public static string Words(ExecutionStatus status) => status.ToWireName().ToLowerInvariant().Replace('_', ' ');

    /// <summary>An epoch-millisecond instant as UTC, e.g. "2026-12-03 06:02:22 UTC"; "—" when unset.</summary>
    public static string Time(long? epochMs) =>
        epochMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    /// <summary>The time of day of an epoch-millisecond instant, UTC, e.g. "06:02:22"; "—" when unset.</summary>
    public static string Clock(long? epochMs) =>
        epochMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "—";

    /// <summary>From start to end (or to <paramref name="now"/> while it runs), e.g. "1m 05s"; "—" before it starts.</summary>
    public static string Duration(long? startMs, long? endMs, DateTimeOffset now)
    {
        if (startMs is not { } start)
        {
            return "—";
        }

        var span = TimeSpan.FromMilliseconds(Math.Max(0, (endMs ?? now.ToUnixTimeMilliseconds()) - start));
        var c = CultureInfo.InvariantCulture;
        return span.TotalHours >= 1 ? string.Create(c, $"{(int)span.TotalHours}h {span.Minutes:00}m")
            : span.TotalMinutes >= 1 ? string.Create(c, $"{span.Minutes}m {span.Seconds:00}s")
            : span.TotalSeconds >= 1 ? string.Create(c, $"{span.TotalSeconds:0.0}s")
            : string.Create(c, $"{span.TotalMilliseconds:0}ms");
    }
}

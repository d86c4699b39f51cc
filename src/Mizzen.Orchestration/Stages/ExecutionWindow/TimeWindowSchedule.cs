using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Orchestration.Stages.ExecutionWindow;

/// <summary>One whitelist entry: <c>[start, end]</c> inclusive to the minute, in local time; start after end wraps midnight.</summary>
public sealed record TimeWindow(int StartHour, int StartMin, int EndHour, int EndMin)
{
    public TimeSpan Start => new(StartHour, StartMin, 0);

    /// <summary>The first minute no longer in the window.</summary>
    public TimeSpan EndExclusive => new(EndHour, EndMin + 1, 0);

    public bool Wraps => Start >= EndExclusive;
}

/// <summary>
/// <c>restrictedExecutionWindow {days, whitelist}</c>: <c>days</c> are 1 = Sunday … 7 = Saturday (Java's Calendar);
/// an empty whitelist with days means the whole day; empty days mean every day. Computes the next allowed instant
/// in instants, not wall-clock arithmetic, so DST changes move windows with the local clock.
/// </summary>
public sealed class TimeWindowSchedule(IReadOnlySet<int> days, IReadOnlyList<TimeWindow> windows)
{
    private const int DaysToSearch = 8;

    public IReadOnlySet<int> Days { get; } = days;

    public IReadOnlyList<TimeWindow> Windows { get; } = windows;

    /// <summary>Reads the config; a <see cref="FormatException"/> says what is wrong with it.</summary>
    public static TimeWindowSchedule Parse(JsonNode? node)
    {
        var config = node switch
        {
            null => null,
            JsonObject o => o,
            _ => throw new FormatException("must be an object {days, whitelist}"),
        };
        var days = new HashSet<int>();
        foreach (var day in ListOf(config, "days"))
        {
            var number = day.AsLong();
            if (number is null or < 1 or > 7)
            {
                throw new FormatException($"days must be numbers from 1 (Sunday) to 7 (Saturday), got {day?.ToJsonString() ?? "null"}");
            }

            days.Add((int)number);
        }

        var windows = new List<TimeWindow>();
        var whitelist = ListOf(config, "whitelist");
        for (var i = 0; i < whitelist.Count; i++)
        {
            var entry = whitelist[i] as JsonObject ?? throw new FormatException($"whitelist[{i}] must be {{startHour, startMin, endHour, endMin}}");
            windows.Add(new TimeWindow(
                Part(entry, "startHour", 23, i), Part(entry, "startMin", 59, i), Part(entry, "endHour", 23, i), Part(entry, "endMin", 59, i)));
        }

        if (windows.Count == 0 && days.Count == 0)
        {
            throw new FormatException("no days and no time windows are configured, so there is no time the stage may run");
        }

        return new TimeWindowSchedule(days, windows);
    }

    private static JsonArray ListOf(JsonObject? config, string key) => config?[key] switch
    {
        null => [],
        JsonArray list => list,
        _ => throw new FormatException($"{key} must be a list"),
    };

    /// <summary>The Calendar day number of <paramref name="day"/>: 1 = Sunday … 7 = Saturday.</summary>
    public static int DayNumber(DayOfWeek day) => (int)day + 1;

    /// <summary><paramref name="now"/> when it is inside a window, else the start of the next window; null if none in a week.</summary>
    public DateTimeOffset? NextAllowed(DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        for (var offset = 0; offset < DaysToSearch; offset++)
        {
            var date = today.AddDays(offset);
            if (Days.Count > 0 && !Days.Contains(DayNumber(date.DayOfWeek)))
            {
                continue;
            }

            foreach (var (start, end) in Pieces().OrderBy(p => p.Start))
            {
                var startAt = ToInstant(date + start, zone);
                var endAt = ToInstant(date + end, zone);
                if (endAt <= now)
                {
                    continue;
                }

                return startAt <= now ? now : startAt;
            }
        }

        return null;
    }

    /// <summary>The windows as same-day pieces: a wrapping window becomes [start, 24:00) and [00:00, end].</summary>
    private IEnumerable<(TimeSpan Start, TimeSpan End)> Pieces()
    {
        if (Windows.Count == 0)
        {
            yield return (TimeSpan.Zero, TimeSpan.FromDays(1));
            yield break;
        }

        foreach (var window in Windows)
        {
            if (window.Wraps)
            {
                yield return (TimeSpan.Zero, window.EndExclusive);
                yield return (window.Start, TimeSpan.FromDays(1));
            }
            else
            {
                yield return (window.Start, window.EndExclusive);
            }
        }
    }

    /// <summary>
    /// A local wall-clock time as an instant. A time skipped by a DST jump moves to the first valid minute after the
    /// gap; a time that happens twice (clocks going back) is its first occurrence.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        var time = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        for (var guard = 0; zone.IsInvalidTime(time) && guard < 24 * 60; guard++)
        {
            time = time.AddMinutes(1);
        }

        var offset = zone.IsAmbiguousTime(time) ? zone.GetAmbiguousTimeOffsets(time).Max() : zone.GetUtcOffset(time);
        return new DateTimeOffset(time, offset);
    }

    private static int Part(JsonObject entry, string key, int max, int index)
    {
        var node = entry[key];
        var value = node is null && key.EndsWith("Min", StringComparison.Ordinal) ? 0 : node.AsLong();
        return value is null or < 0 || value > max
            ? throw new FormatException($"whitelist[{index}].{key} must be a number from 0 to {max}, got {node?.ToJsonString() ?? "nothing"}")
            : (int)value;
    }
}

using System.Globalization;
using System.Text;
using Cronos;

namespace Mizzen.Triggers.Cron;

/// <summary>
/// A Spinnaker cron expression: Quartz's format (6 or 7 fields, seconds first, optional year last, <c>?</c>, <c>L</c>, <c>W</c>,
/// <c>#</c>, day-of-week 1-7 with Sunday = 1) plus Jenkins's <c>H</c> (a value hashed from the trigger, so many hourly triggers do not
/// all fire at :00). Cronos computes the occurrences; this class translates Quartz's conventions into Cronos's: day-of-week numbers
/// shift by one (Cronos has Sunday = 0), <c>H</c> becomes the hashed value, and the year field, which Cronos lacks, filters occurrences.
/// Quartz refuses a day-of-month and a day-of-week that are both set (one must be <c>?</c> or <c>*</c>), and so does this.
/// </summary>
public sealed class QuartzCron
{
    private readonly CronExpression expression;
    private readonly Func<int, bool> yearAllowed;

    private QuartzCron(CronExpression expression, Func<int, bool> yearAllowed, string text)
    {
        this.expression = expression;
        this.yearAllowed = yearAllowed;
        Text = text;
    }

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; <paramref name="hashSeed"/> (the trigger's identity) decides what <c>H</c> stands for.</summary>
    /// <exception cref="FormatException">Names the field that is wrong.</exception>
    public static QuartzCron Parse(string text, string hashSeed)
    {
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (6 or 7))
        {
            throw new FormatException($"'{text}' has {fields.Length} fields; a cron trigger takes 6 or 7 (seconds minutes hours day-of-month month day-of-week [year])");
        }

        var dayOfMonth = fields[3];
        var dayOfWeek = fields[5];
        if (dayOfMonth != "?" && dayOfWeek != "?" && dayOfMonth != "*" && dayOfWeek != "*")
        {
            throw new FormatException($"'{text}' sets both day-of-month ('{dayOfMonth}') and day-of-week ('{dayOfWeek}'): one of them must be '?'");
        }

        var translated = new[]
        {
            Hashed(fields[0], 60, hashSeed, 0), Hashed(fields[1], 60, hashSeed, 1), Hashed(fields[2], 24, hashSeed, 2),
            dayOfMonth, fields[4], ShiftDaysOfWeek(dayOfWeek),
        };
        var yearAllowed = fields.Length == 7 ? ParseYears(fields[6]) : _ => true;
        CronExpression parsed;
        try
        {
            parsed = CronExpression.Parse(string.Join(' ', translated), CronFormat.IncludeSeconds);
        }
        catch (CronFormatException e)
        {
            throw new FormatException($"'{text}' is not a valid cron expression: {e.Message}", e);
        }

        return new QuartzCron(parsed, yearAllowed, text);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/> in <paramref name="zone"/>; null when there is none (a past year).</summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        var from = after;
        for (var guard = 0; guard < 1000; guard++)
        {
            var next = expression.GetNextOccurrence(from, zone, inclusive: false);
            if (next is not { } occurrence)
            {
                return null;
            }

            var year = TimeZoneInfo.ConvertTime(occurrence, zone).Year;
            if (yearAllowed(year))
            {
                return occurrence;
            }

            if (year > 2199)
            {
                return null;
            }

            // Jump to the start of the next year in the zone, rather than walking every occurrence of a disallowed year.
            var nextYear = new DateTime(year + 1, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
            from = new DateTimeOffset(nextYear, zone.GetUtcOffset(nextYear)).AddTicks(-1);
        }

        return null;
    }

    /// <summary>
    /// The latest occurrence after <paramref name="after"/> and at or before <paramref name="until"/>; null when none. It looks back from
    /// <paramref name="until"/> in doubling windows, so a per-second schedule after a day of downtime costs a few steps, not 86,400.
    /// </summary>
    public DateTimeOffset? LastBetween(DateTimeOffset after, DateTimeOffset until, TimeZoneInfo zone)
    {
        for (var window = TimeSpan.FromSeconds(1); ; window += window)
        {
            var from = until - window > after ? until - window : after;
            DateTimeOffset? last = null;
            for (var cursor = from; Next(cursor, zone) is { } next && next <= until; cursor = next)
            {
                last = next;
            }

            if (last is not null || from == after)
            {
                return last;
            }
        }
    }

    /// <summary><c>H</c> or <c>H/n</c> (or <c>H(a-b)</c>) in seconds, minutes or hours: a fixed value derived from the trigger.</summary>
    private static string Hashed(string field, int range, string seed, int salt)
    {
        if (!field.StartsWith('H'))
        {
            return field;
        }

        var hash = StableHash(seed + "#" + salt.ToString(CultureInfo.InvariantCulture));
        if (field == "H")
        {
            return (hash % range).ToString(CultureInfo.InvariantCulture);
        }

        if (field.StartsWith("H/", StringComparison.Ordinal) && int.TryParse(field[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var step) && step > 0)
        {
            return $"{hash % Math.Min(step, range)}/{step}";
        }

        throw new FormatException($"'{field}': H is supported as 'H' or 'H/n'");
    }

    private static int StableHash(string text)
    {
        var hash = 2166136261u; // FNV-1a: stable across processes and versions, unlike string.GetHashCode
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }

    /// <summary>Quartz numbers days 1-7 from Sunday; Cronos 0-6. Names (MON-FRI) need no change; L and # keep their meaning.</summary>
    private static string ShiftDaysOfWeek(string field)
    {
        var result = new StringBuilder(field.Length);
        var afterHashOrSlash = false;
        for (var i = 0; i < field.Length; i++)
        {
            var c = field[i];
            if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i + 1 < field.Length && char.IsAsciiDigit(field[i + 1]))
                {
                    i++;
                }

                var number = int.Parse(field.AsSpan(start, i - start + 1), NumberStyles.None, CultureInfo.InvariantCulture);
                if (afterHashOrSlash)
                {
                    result.Append(number.ToString(CultureInfo.InvariantCulture)); // the k of n#k and the step of a/s are counts, not days
                }
                else if (number is < 1 or > 7)
                {
                    throw new FormatException($"day-of-week '{field}': days are 1-7 (Sunday = 1) or SUN-SAT");
                }
                else
                {
                    result.Append((number - 1).ToString(CultureInfo.InvariantCulture));
                }

                afterHashOrSlash = false;
                continue;
            }

            afterHashOrSlash = c is '#' or '/';
            result.Append(c);
        }

        return result.ToString();
    }

    /// <summary>Quartz's optional year field: <c>*</c>, <c>?</c>, years, ranges and steps (<c>2026</c>, <c>2026-2028</c>, <c>2026/2</c>).</summary>
    private static Func<int, bool> ParseYears(string field)
    {
        if (field is "*" or "?")
        {
            return _ => true;
        }

        var parts = new List<Func<int, bool>>();
        foreach (var item in field.Split(','))
        {
            var (range, stepText) = item.IndexOf('/') is var slash and >= 0 ? (item[..slash], item[(slash + 1)..]) : (item, "1");
            if (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out var step) || step < 1)
            {
                throw new FormatException($"year '{field}': '{item}' has no valid step");
            }

            int from, to;
            if (range == "*")
            {
                (from, to) = (1970, 2199);
            }
            else if (range.IndexOf('-') is var dash and > 0
                     && int.TryParse(range[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out from)
                     && int.TryParse(range[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out to))
            {
            }
            else if (int.TryParse(range, NumberStyles.None, CultureInfo.InvariantCulture, out from))
            {
                to = item.Contains('/') ? 2199 : from;
            }
            else
            {
                throw new FormatException($"year '{field}': '{item}' is not a year, a range or a step");
            }

            if (from is < 1970 or > 2199 || to < from)
            {
                throw new FormatException($"year '{field}': years are 1970-2199, ranges low-high");
            }

            parts.Add(y => y >= from && y <= to && (y - from) % step == 0);
        }

        return y => parts.Any(p => p(y));
    }
}

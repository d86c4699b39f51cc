using Mizzen.Expressions.Evaluation;

namespace Mizzen.Expressions.Types;

/// <summary><c>java.time.temporal.TemporalAdjusters</c>: <c>next</c>, <c>previous</c>, <c>firstDayOfMonth</c> ... for <c>date.with(...)</c>.</summary>
internal sealed class TemporalAdjustersType : AllowedType
{
    public override string JavaName => "java.time.temporal.TemporalAdjusters";

    public override bool TryInvokeStatic(string name, object?[] args, EvaluationState state, out object? result)
    {
        var day = args is [JavaDayOfWeek d] ? d.NetDay : (DayOfWeek?)null;
        Func<DateOnly, DateOnly>? adjust = (name, args.Length, day) switch
        {
            ("firstDayOfMonth", 0, _) => date => new DateOnly(date.Year, date.Month, 1),
            ("lastDayOfMonth", 0, _) => date => new DateOnly(date.Year, date.Month, DateTime.DaysInMonth(date.Year, date.Month)),
            ("firstDayOfNextMonth", 0, _) => date => new DateOnly(date.Year, date.Month, 1).AddMonths(1),
            ("firstDayOfYear", 0, _) => date => new DateOnly(date.Year, 1, 1),
            ("lastDayOfYear", 0, _) => date => new DateOnly(date.Year, 12, 31),
            ("firstDayOfNextYear", 0, _) => date => new DateOnly(date.Year + 1, 1, 1),
            ("next", 1, { } wanted) => date => date.AddDays(Forward(date.DayOfWeek, wanted, sameAllowed: false)),
            ("nextOrSame", 1, { } wanted) => date => date.AddDays(Forward(date.DayOfWeek, wanted, sameAllowed: true)),
            ("previous", 1, { } wanted) => date => date.AddDays(-Forward(wanted, date.DayOfWeek, sameAllowed: false)),
            ("previousOrSame", 1, { } wanted) => date => date.AddDays(-Forward(wanted, date.DayOfWeek, sameAllowed: true)),
            ("firstInMonth", 1, { } wanted) => date =>
            {
                var first = new DateOnly(date.Year, date.Month, 1);
                return first.AddDays(Forward(first.DayOfWeek, wanted, sameAllowed: true));
            },
            ("lastInMonth", 1, { } wanted) => date =>
            {
                var last = new DateOnly(date.Year, date.Month, DateTime.DaysInMonth(date.Year, date.Month));
                return last.AddDays(-Forward(wanted, last.DayOfWeek, sameAllowed: true));
            },
            _ => null,
        };
        result = adjust is null ? null : new JavaTemporalAdjuster(name, adjust);
        return result is not null;
    }

    private static int Forward(DayOfWeek from, DayOfWeek to, bool sameAllowed)
    {
        var days = ((int)to - (int)from + 7) % 7;
        return days == 0 && !sameAllowed ? 7 : days;
    }
}

/// <summary>What a <c>TemporalAdjusters</c> method returns; only <c>date.with(adjuster)</c> uses it.</summary>
internal sealed record JavaTemporalAdjuster(string Name, Func<DateOnly, DateOnly> Adjust) : IJavaObject
{
    public string JavaTypeName => "java.time.temporal.TemporalAdjuster";

    public bool TryInvoke(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = null;
        return false;
    }

    public override string ToString() => "TemporalAdjusters." + Name;
}

using System.Globalization;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;
using static Mizzen.Expressions.Methods.MethodArguments;

namespace Mizzen.Expressions.Types;

/// <summary><c>java.time.LocalDate</c>: <c>now()</c> (from the injected clock), <c>parse</c>, <c>of</c>.</summary>
internal sealed class LocalDateType : AllowedType
{
    public override string JavaName => "java.time.LocalDate";

    public override bool IsInstance(object? value) => value is JavaLocalDate;

    public override bool TryInvokeStatic(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("now", 0) => new JavaLocalDate(DateOnly.FromDateTime(LocalNow(state))),
            ("parse", 1) => JavaLocalDate.Parse(Text(args, 0, name)),
            ("of", 3) => new JavaLocalDate(new DateOnly(Int(args, 0, name), Int(args, 1, name), Int(args, 2, name))),
            ("ofEpochDay", 1) => new JavaLocalDate(DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)Long(args, 0, name))),
            _ => null,
        };
        return result is not null;
    }

    public static DateTime LocalNow(EvaluationState state)
    {
        var clock = state.Environment.Clock;
        return TimeZoneInfo.ConvertTime(clock.GetUtcNow(), clock.LocalTimeZone).DateTime;
    }
}

/// <summary>A date without time; prints as <c>2026-11-02</c>.</summary>
internal sealed record JavaLocalDate(DateOnly Date) : IJavaObject, IComparable
{
    public string JavaTypeName => "java.time.LocalDate";

    public static JavaLocalDate Parse(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? new JavaLocalDate(date)
            : throw new ExpressionException($"DateTimeParseException: Text '{text}' could not be parsed as a LocalDate (yyyy-MM-dd)");

    public bool TryInvoke(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("plusDays", 1) => Plus(Long(args, 0, name), 0, 0),
            ("minusDays", 1) => Plus(-Long(args, 0, name), 0, 0),
            ("plusWeeks", 1) => Plus(7 * Long(args, 0, name), 0, 0),
            ("minusWeeks", 1) => Plus(-7 * Long(args, 0, name), 0, 0),
            ("plusMonths", 1) => Plus(0, Int(args, 0, name), 0),
            ("minusMonths", 1) => Plus(0, -Int(args, 0, name), 0),
            ("plusYears", 1) => Plus(0, 0, Int(args, 0, name)),
            ("minusYears", 1) => Plus(0, 0, -Int(args, 0, name)),
            ("getYear", 0) => Date.Year,
            ("getMonthValue", 0) => Date.Month,
            ("getDayOfMonth", 0) => Date.Day,
            ("getDayOfYear", 0) => Date.DayOfYear,
            ("getDayOfWeek", 0) => JavaDayOfWeek.From(Date.DayOfWeek),
            ("lengthOfMonth", 0) => DateTime.DaysInMonth(Date.Year, Date.Month),
            ("isLeapYear", 0) => JsonValues.Box(DateTime.IsLeapYear(Date.Year)),
            ("toEpochDay", 0) => (long)(Date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber),
            ("atStartOfDay", 0) => new JavaLocalDateTime(Date.ToDateTime(TimeOnly.MinValue)),
            ("isBefore", 1) when args[0] is JavaLocalDate other => JsonValues.Box(Date < other.Date),
            ("isAfter", 1) when args[0] is JavaLocalDate other => JsonValues.Box(Date > other.Date),
            ("isEqual", 1) when args[0] is JavaLocalDate other => JsonValues.Box(Date == other.Date),
            ("with", 1) when args[0] is JavaTemporalAdjuster adjuster => new JavaLocalDate(adjuster.Adjust(Date)),
            _ => null,
        };
        return result is not null;
    }

    private JavaLocalDate Plus(long days, int months, int years)
    {
        try
        {
            return new JavaLocalDate(Date.AddDays(checked((int)days)).AddMonths(months).AddYears(years));
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            throw new ExpressionException("DateTimeException: the date is out of range");
        }
    }

    public int CompareTo(object? obj) => obj is JavaLocalDate other ? Date.CompareTo(other.Date) : 1;

    public override string ToString() => Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

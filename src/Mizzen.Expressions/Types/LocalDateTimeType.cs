using System.Globalization;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;
using static Mizzen.Expressions.Methods.MethodArguments;

namespace Mizzen.Expressions.Types;

/// <summary><c>java.time.LocalDateTime</c>: <c>now()</c> (from the injected clock), <c>parse</c>, <c>of</c>.</summary>
internal sealed class LocalDateTimeType : AllowedType
{
    public override string JavaName => "java.time.LocalDateTime";

    public override bool IsInstance(object? value) => value is JavaLocalDateTime;

    public override bool TryInvokeStatic(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("now", 0) => new JavaLocalDateTime(LocalDateType.LocalNow(state)),
            ("parse", 1) => JavaLocalDateTime.Parse(Text(args, 0, name)),
            ("of", 5) => new JavaLocalDateTime(new DateTime(Int(args, 0, name), Int(args, 1, name), Int(args, 2, name), Int(args, 3, name), Int(args, 4, name), 0)),
            ("of", 6) => new JavaLocalDateTime(new DateTime(Int(args, 0, name), Int(args, 1, name), Int(args, 2, name), Int(args, 3, name), Int(args, 4, name), Int(args, 5, name))),
            _ => null,
        };
        return result is not null;
    }
}

/// <summary>A date and time without zone; prints as <c>2026-11-02T09:00</c> like Java.</summary>
internal sealed record JavaLocalDateTime(DateTime Value) : IJavaObject, IComparable
{
    public string JavaTypeName => "java.time.LocalDateTime";

    public static JavaLocalDateTime Parse(string text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value) && text.Contains('T', StringComparison.Ordinal)
            ? new JavaLocalDateTime(DateTime.SpecifyKind(value, DateTimeKind.Unspecified))
            : throw new ExpressionException($"DateTimeParseException: Text '{text}' could not be parsed as a LocalDateTime (yyyy-MM-ddTHH:mm:ss)");

    public bool TryInvoke(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("plusSeconds", 1) => Add(TimeSpan.FromSeconds(Long(args, 0, name))),
            ("minusSeconds", 1) => Add(TimeSpan.FromSeconds(-Long(args, 0, name))),
            ("plusMinutes", 1) => Add(TimeSpan.FromMinutes(Long(args, 0, name))),
            ("minusMinutes", 1) => Add(TimeSpan.FromMinutes(-Long(args, 0, name))),
            ("plusHours", 1) => Add(TimeSpan.FromHours(Long(args, 0, name))),
            ("minusHours", 1) => Add(TimeSpan.FromHours(-Long(args, 0, name))),
            ("plusDays", 1) => Add(TimeSpan.FromDays(Long(args, 0, name))),
            ("minusDays", 1) => Add(TimeSpan.FromDays(-Long(args, 0, name))),
            ("plusWeeks", 1) => Add(TimeSpan.FromDays(7 * Long(args, 0, name))),
            ("minusWeeks", 1) => Add(TimeSpan.FromDays(-7 * Long(args, 0, name))),
            ("plusMonths", 1) => new JavaLocalDateTime(Value.AddMonths(Int(args, 0, name))),
            ("minusMonths", 1) => new JavaLocalDateTime(Value.AddMonths(-Int(args, 0, name))),
            ("plusYears", 1) => new JavaLocalDateTime(Value.AddYears(Int(args, 0, name))),
            ("minusYears", 1) => new JavaLocalDateTime(Value.AddYears(-Int(args, 0, name))),
            ("getYear", 0) => Value.Year,
            ("getMonthValue", 0) => Value.Month,
            ("getDayOfMonth", 0) => Value.Day,
            ("getHour", 0) => Value.Hour,
            ("getMinute", 0) => Value.Minute,
            ("getSecond", 0) => Value.Second,
            ("getDayOfWeek", 0) => JavaDayOfWeek.From(Value.DayOfWeek),
            ("toLocalDate", 0) => new JavaLocalDate(DateOnly.FromDateTime(Value)),
            ("isBefore", 1) when args[0] is JavaLocalDateTime other => JsonValues.Box(Value < other.Value),
            ("isAfter", 1) when args[0] is JavaLocalDateTime other => JsonValues.Box(Value > other.Value),
            ("with", 1) when args[0] is JavaTemporalAdjuster adjuster =>
                new JavaLocalDateTime(adjuster.Adjust(DateOnly.FromDateTime(Value)).ToDateTime(TimeOnly.FromDateTime(Value))),
            _ => null,
        };
        return result is not null;
    }

    private JavaLocalDateTime Add(TimeSpan span)
    {
        try
        {
            return new JavaLocalDateTime(Value.Add(span));
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new ExpressionException("DateTimeException: the date is out of range");
        }
    }

    public int CompareTo(object? obj) => obj is JavaLocalDateTime other ? Value.CompareTo(other.Value) : 1;

    public override string ToString()
    {
        var text = Value.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        if (Value.Second != 0 || Value.Millisecond != 0)
        {
            text += Value.ToString(":ss", CultureInfo.InvariantCulture);
        }

        if (Value.Millisecond != 0)
        {
            text += Value.ToString(".fff", CultureInfo.InvariantCulture);
        }

        return text;
    }
}

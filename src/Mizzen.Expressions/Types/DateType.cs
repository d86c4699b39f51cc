using System.Globalization;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;
using static Mizzen.Expressions.Methods.MethodArguments;

namespace Mizzen.Expressions.Types;

/// <summary><c>java.util.Date</c>: <c>new Date()</c> (the injected clock's now) and <c>new Date(epochMillis)</c>.</summary>
internal sealed class DateType : AllowedType
{
    public override string JavaName => "java.util.Date";

    public override bool IsInstance(object? value) => value is JavaDate;

    public override object? Construct(object?[] args, EvaluationState state) => args.Length switch
    {
        0 => new JavaDate(state.Environment.Clock.GetUtcNow().ToUnixTimeMilliseconds()),
        1 => new JavaDate(Long(args, 0, "Date")),
        _ => throw NoConstructor(args),
    };
}

/// <summary>A <c>java.util.Date</c>: milliseconds since the epoch; JSON writes the number, <c>toString()</c> Java's text (UTC).</summary>
internal sealed record JavaDate(long EpochMillis) : IJavaObject, IComparable
{
    public string JavaTypeName => "java.util.Date";

    public DateTimeOffset Value => DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(EpochMillis, -62_135_596_800_000, 253_402_300_799_999));

    public bool TryInvoke(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("getTime", 0) => EpochMillis,
            ("toInstant", 0) => new JavaInstant(Value),
            ("before", 1) when args[0] is JavaDate other => JsonValues.Box(EpochMillis < other.EpochMillis),
            ("after", 1) when args[0] is JavaDate other => JsonValues.Box(EpochMillis > other.EpochMillis),
            _ => null,
        };
        return result is not null;
    }

    public int CompareTo(object? obj) => obj is JavaDate other ? EpochMillis.CompareTo(other.EpochMillis) : 1;

    public override string ToString() => Value.UtcDateTime.ToString("ddd MMM dd HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture);
}

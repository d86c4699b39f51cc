using Mizzen.Expressions.Evaluation;

namespace Mizzen.Expressions.Types;

/// <summary><c>java.time.temporal.ChronoUnit</c>: <c>MILLIS</c> ... <c>WEEKS</c> and <c>between(a, b)</c>.</summary>
internal sealed class ChronoUnitType : AllowedType
{
    public override string JavaName => "java.time.temporal.ChronoUnit";

    public override bool IsInstance(object? value) => value is JavaChronoUnit;

    public override object? ReadStatic(string name) => JavaChronoUnit.Named(name) ?? base.ReadStatic(name);

    public override bool TryInvokeStatic(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = name == "valueOf" && args is [string unit] ? JavaChronoUnit.Named(unit) : null;
        return result is not null;
    }
}

/// <summary>A fixed-length time unit (months and years are not: Java estimates them; Mizzen refuses <c>between</c> on them).</summary>
internal sealed record JavaChronoUnit(string Name, long Millis) : IJavaObject
{
    private static readonly JavaChronoUnit[] Units =
    [
        new("MILLIS", 1), new("SECONDS", 1_000), new("MINUTES", 60_000), new("HOURS", 3_600_000),
        new("HALF_DAYS", 43_200_000), new("DAYS", 86_400_000), new("WEEKS", 604_800_000),
    ];

    public string JavaTypeName => "java.time.temporal.ChronoUnit";

    public static JavaChronoUnit? Named(string name) => Array.Find(Units, u => u.Name == name);

    public bool TryInvoke(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("between", 2) => Between(args[0], args[1]),
            ("name", 0) => Name,
            _ => null,
        };
        return result is not null;
    }

    private long Between(object? start, object? end)
    {
        var millis = (ToMillis(end) - ToMillis(start)) / Millis;
        return millis;
    }

    private static long ToMillis(object? value) => value switch
    {
        JavaInstant i => i.Value.ToUnixTimeMilliseconds(),
        JavaLocalDate d => new DateTimeOffset(d.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds(),
        JavaLocalDateTime t => new DateTimeOffset(t.Value, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        JavaDate date => date.EpochMillis,
        _ => throw new ExpressionException("ChronoUnit.between needs two dates, date-times or instants of the same kind"),
    };

    public override string ToString() => Name[0] + Name[1..].ToLowerInvariant().Replace("_d", "D", StringComparison.Ordinal);
}

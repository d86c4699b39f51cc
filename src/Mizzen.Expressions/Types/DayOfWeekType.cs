using Mizzen.Expressions.Evaluation;
using static Mizzen.Expressions.Methods.MethodArguments;

namespace Mizzen.Expressions.Types;

/// <summary><c>java.time.DayOfWeek</c>: <c>MONDAY</c> ... <c>SUNDAY</c>, <c>of(1..7)</c>, <c>valueOf(name)</c>.</summary>
internal sealed class DayOfWeekType : AllowedType
{
    public override string JavaName => "java.time.DayOfWeek";

    public override bool IsInstance(object? value) => value is JavaDayOfWeek;

    public override object? ReadStatic(string name) => JavaDayOfWeek.Named(name) ?? base.ReadStatic(name);

    public override bool TryInvokeStatic(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("of", 1) => JavaDayOfWeek.Of(Int(args, 0, name)),
            ("valueOf", 1) => JavaDayOfWeek.Named(Text(args, 0, name)),
            _ => null,
        };
        return result is not null;
    }
}

/// <summary>A day of the week, numbered as Java does (Monday = 1 ... Sunday = 7); equal to its name as a string.</summary>
internal sealed record JavaDayOfWeek(int Value) : IJavaObject, IComparable
{
    private static readonly string[] Names = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

    public string JavaTypeName => "java.time.DayOfWeek";

    public DayOfWeek NetDay => (DayOfWeek)(Value % 7);

    public static JavaDayOfWeek From(DayOfWeek day) => new(day == DayOfWeek.Sunday ? 7 : (int)day);

    public static JavaDayOfWeek Of(int value) =>
        value is >= 1 and <= 7 ? new JavaDayOfWeek(value) : throw new ExpressionException($"DateTimeException: Invalid value for DayOfWeek: {value}");

    public static JavaDayOfWeek? Named(string name)
    {
        var index = Array.IndexOf(Names, name);
        return index < 0 ? null : new JavaDayOfWeek(index + 1);
    }

    public bool TryInvoke(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("getValue", 0) => Value,
            ("name", 0) => ToString(),
            ("plus", 1) => new JavaDayOfWeek((int)((((Value - 1 + Long(args, 0, name)) % 7) + 7) % 7) + 1),
            ("minus", 1) => new JavaDayOfWeek((int)((((Value - 1 - Long(args, 0, name)) % 7) + 7) % 7) + 1),
            _ => null,
        };
        return result is not null;
    }

    public int CompareTo(object? obj) => obj is JavaDayOfWeek other ? Value.CompareTo(other.Value) : 1;

    public override string ToString() => Names[Value - 1];
}

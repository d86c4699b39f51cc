using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Methods;

/// <summary>Argument conversions as Spring's type converter does them for method parameters.</summary>
internal static class MethodArguments
{
    public static string Text(object?[] args, int index, string method) => args[index] switch
    {
        string s => s,
        null => throw new ExpressionException($"EL1007E: {method}: argument {index + 1} is null"),
        var other => JavaText.ToJavaString(other),
    };

    public static int Int(object?[] args, int index, string method) => args[index] switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        double d when d is >= int.MinValue and <= int.MaxValue => (int)d,
        float f when f is >= int.MinValue and <= int.MaxValue => (int)f,
        string s when int.TryParse(s, out var parsed) => parsed,
        var other => throw new ExpressionException(
            $"EL1001E: Type conversion problem, cannot convert from {JavaTypeNames.Of(other)} to int (argument {index + 1} of {method})"),
    };

    public static long Long(object?[] args, int index, string method) => args[index] switch
    {
        int i => i,
        long l => l,
        double d => (long)d,
        float f => (long)f,
        string s when long.TryParse(s, out var parsed) => parsed,
        var other => throw new ExpressionException(
            $"EL1001E: Type conversion problem, cannot convert from {JavaTypeNames.Of(other)} to long (argument {index + 1} of {method})"),
    };

    public static double Double(object?[] args, int index, string method) => args[index] switch
    {
        var n when Arithmetic.IsNumber(n) => Arithmetic.ToDouble(n!),
        string s when double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
        var other => throw new ExpressionException(
            $"EL1001E: Type conversion problem, cannot convert from {JavaTypeNames.Of(other)} to double (argument {index + 1} of {method})"),
    };
}

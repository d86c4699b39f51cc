using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Methods;

/// <summary>Methods of boxed Java numbers (Integer, Long, Float, Double).</summary>
internal static class NumberMethods
{
    public static bool TryInvoke(object number, string name, object?[] args, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("intValue", 0) => (object)unchecked((int)Arithmetic.ToLong(number)),
            ("longValue", 0) => Arithmetic.ToLong(number),
            ("doubleValue", 0) => Arithmetic.ToDouble(number),
            ("floatValue", 0) => (float)Arithmetic.ToDouble(number),
            ("compareTo", 1) when Arithmetic.IsNumber(args[0]) => Arithmetic.Compare(number, args[0]!),
            ("isNaN", 0) => JsonValues.Box(double.IsNaN(Arithmetic.ToDouble(number))),
            _ => null,
        };
        return result is not null;
    }
}

namespace Mizzen.Expressions.Values;

/// <summary>Java numeric promotion (int, long, float, double) for the arithmetic operators.</summary>
internal static class Arithmetic
{
    private enum Kind
    {
        Int,
        Long,
        Float,
        Double,
    }

    public static bool IsNumber(object? value) => value is int or long or double or float;

    private static Kind KindOf(object value) => value switch
    {
        int => Kind.Int,
        long => Kind.Long,
        float => Kind.Float,
        _ => Kind.Double,
    };

    public static double ToDouble(object value) => value switch
    {
        int i => i,
        long l => l,
        float f => f,
        double d => d,
        _ => throw new InvalidCastException(),
    };

    public static long ToLong(object value) => value switch
    {
        int i => i,
        long l => l,
        float f => (long)f,
        double d => (long)d,
        _ => throw new InvalidCastException(),
    };

    public static object Apply(char op, object left, object right)
    {
        var kind = (Kind)Math.Max((int)KindOf(left), (int)KindOf(right));
        return kind switch
        {
            Kind.Int => Integral(op, ToLong(left), ToLong(right), asInt: true),
            Kind.Long => Integral(op, ToLong(left), ToLong(right), asInt: false),
            Kind.Float => (float)Real(op, ToDouble(left), ToDouble(right)),
            _ => Real(op, ToDouble(left), ToDouble(right)),
        };
    }

    private static object Integral(char op, long a, long b, bool asInt)
    {
        if (op is '/' or '%' && b == 0)
        {
            throw new ExpressionException("EL1072E: An exception occurred whilst evaluating a compiled expression: / by zero");
        }

        if (op == '^')
        {
            var power = Math.Pow(a, b);
            return asInt ? (object)unchecked((int)(long)power) : (long)power;
        }

        long result = unchecked(op switch
        {
            '+' => a + b,
            '-' => a - b,
            '*' => a * b,
            '/' => a / b,
            '%' => a % b,
            _ => throw new InvalidOperationException(),
        });
        return asInt ? (object)unchecked((int)result) : result;
    }

    private static double Real(char op, double a, double b) => op switch
    {
        '+' => a + b,
        '-' => a - b,
        '*' => a * b,
        '/' => a / b,
        '%' => a % b,
        '^' => Math.Pow(a, b),
        _ => throw new InvalidOperationException(),
    };

    public static object Negate(object value) => value switch
    {
        int i => unchecked(-i),
        long l => unchecked(-l),
        float f => -f,
        double d => -d,
        _ => throw new InvalidCastException(),
    };

    public static int Compare(object left, object right)
    {
        if (left is int or long && right is int or long)
        {
            return ToLong(left).CompareTo(ToLong(right));
        }

        return ToDouble(left).CompareTo(ToDouble(right));
    }
}

using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Evaluation;

/// <summary>Operators whose rules depend on operand types: <c>+</c>, arithmetic, <c>matches</c>, <c>between</c>.</summary>
internal static class Operators
{
    public static object Add(object? left, object? right, EvaluationState state)
    {
        if (Arithmetic.IsNumber(left) && Arithmetic.IsNumber(right))
        {
            return Arithmetic.Apply('+', left!, right!);
        }

        if (left is string || right is string)
        {
            var leftText = JavaText.ToJavaString(left, state);
            var rightText = JavaText.ToJavaString(right, state);
            state.CheckLength((long)leftText.Length + rightText.Length);
            return state.CheckLength(string.Concat(leftText, rightText));
        }

        throw Unsupported("ADD", left, right);
    }

    public static object Numeric(char op, object? left, object? right)
    {
        if (Arithmetic.IsNumber(left) && Arithmetic.IsNumber(right))
        {
            return Arithmetic.Apply(op, left!, right!);
        }

        var name = op switch
        {
            '-' => "SUBTRACT",
            '*' => "MULTIPLY",
            '/' => "DIVIDE",
            '%' => "MODULUS",
            _ => "POWER",
        };
        throw Unsupported(name, left, right);
    }

    private static ExpressionException Unsupported(string op, object? left, object? right) =>
        new($"EL1030E: The operator '{op}' is not supported between objects of type '{JavaTypeNames.Of(left)}' and '{JavaTypeNames.Of(right)}'");

    public static bool Matches(object? left, object? right, EvaluationState state)
    {
        if (left is not string text || right is not string pattern)
        {
            throw new ExpressionException(
                $"EL1051E: 'matches' needs a string on both sides, not '{JavaTypeNames.Of(left)}' and '{JavaTypeNames.Of(right)}'");
        }

        return state.Environment.Regexes.FullMatch(pattern, text);
    }

    public static bool Between(object? value, object? range)
    {
        if (!ValueCollections.IsList(range) || ValueCollections.Count(range!) != 2)
        {
            throw new ExpressionException("EL1040E: 'between' needs a list of two values on its right, e.g. x between {1, 5}");
        }

        var low = ValueCollections.At(range!, 0);
        var high = ValueCollections.At(range!, 1);
        return ValueComparison.Compare(value, low) >= 0 && ValueComparison.Compare(value, high) <= 0;
    }
}

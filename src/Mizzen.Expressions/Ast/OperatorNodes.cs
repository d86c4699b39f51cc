using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Ast;

internal enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulus,
    Power,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Matches,
    Between,
    InstanceOf,
}

/// <summary>Arithmetic, comparison, <c>matches</c>, <c>between</c>, <c>instanceof</c>.</summary>
internal sealed class BinaryNode(int position, BinaryOperator op, ExpressionNode left, ExpressionNode right) : ExpressionNode(position)
{
    protected override object? EvaluateCore(EvaluationState state)
    {
        if (op == BinaryOperator.InstanceOf && right is TypeReferenceNode type)
        {
            return JsonValues.Box(type.Type.IsInstance(left.Evaluate(state)));
        }

        var a = left.Evaluate(state);
        var b = right.Evaluate(state);
        return op switch
        {
            BinaryOperator.Add => Operators.Add(a, b, state),
            BinaryOperator.Subtract => Operators.Numeric('-', a, b),
            BinaryOperator.Multiply => Operators.Numeric('*', a, b),
            BinaryOperator.Divide => Operators.Numeric('/', a, b),
            BinaryOperator.Modulus => Operators.Numeric('%', a, b),
            BinaryOperator.Power => Operators.Numeric('^', a, b),
            BinaryOperator.Equal => JsonValues.Box(ValueComparison.AreEqual(a, b)),
            BinaryOperator.NotEqual => JsonValues.Box(!ValueComparison.AreEqual(a, b)),
            BinaryOperator.Less => JsonValues.Box(ValueComparison.Compare(a, b) < 0),
            BinaryOperator.LessOrEqual => JsonValues.Box(ValueComparison.Compare(a, b) <= 0),
            BinaryOperator.Greater => JsonValues.Box(ValueComparison.Compare(a, b) > 0),
            BinaryOperator.GreaterOrEqual => JsonValues.Box(ValueComparison.Compare(a, b) >= 0),
            BinaryOperator.Matches => JsonValues.Box(Operators.Matches(a, b, state)),
            BinaryOperator.Between => JsonValues.Box(Operators.Between(a, b)),
            _ => throw new ExpressionException("EL1033E: instanceof needs a type on its right, e.g. x instanceof T(String)"),
        };
    }
}

/// <summary><c>and</c> / <c>&amp;&amp;</c> and <c>or</c> / <c>||</c>, short-circuit, operands must be booleans.</summary>
internal sealed class LogicalNode(int position, bool isAnd, ExpressionNode left, ExpressionNode right) : ExpressionNode(position)
{
    protected override object? EvaluateCore(EvaluationState state)
    {
        var name = isAnd ? "left operand of 'and'" : "left operand of 'or'";
        var first = ValueComparison.ToBoolean(left.Evaluate(state), name);
        if (first != isAnd)
        {
            return JsonValues.Box(first);
        }

        return JsonValues.Box(ValueComparison.ToBoolean(right.Evaluate(state), isAnd ? "right operand of 'and'" : "right operand of 'or'"));
    }
}

/// <summary><c>-x</c>, <c>+x</c>, <c>!x</c> / <c>not x</c>.</summary>
internal sealed class UnaryNode(int position, char op, ExpressionNode operand) : ExpressionNode(position)
{
    protected override object? EvaluateCore(EvaluationState state)
    {
        var value = operand.Evaluate(state);
        return op switch
        {
            '!' => JsonValues.Box(!ValueComparison.ToBoolean(value, "operand of 'not'")),
            '-' when Arithmetic.IsNumber(value) => Arithmetic.Negate(value!),
            '+' when Arithmetic.IsNumber(value) => value,
            _ => throw new ExpressionException(
                $"EL1030E: The operator '{(op == '-' ? "SUBTRACT" : "ADD")}' is not supported on an operand of type '{JavaTypeNames.Of(value)}'"),
        };
    }
}

/// <summary><c>condition ? a : b</c></summary>
internal sealed class TernaryNode(int position, ExpressionNode condition, ExpressionNode whenTrue, ExpressionNode whenFalse) : ExpressionNode(position)
{
    protected override object? EvaluateCore(EvaluationState state) =>
        ValueComparison.ToBoolean(condition.Evaluate(state), "condition of ?:")
            ? whenTrue.Evaluate(state)
            : whenFalse.Evaluate(state);
}

/// <summary><c>a ?: b</c>: b when a is null or an empty string.</summary>
internal sealed class ElvisNode(int position, ExpressionNode value, ExpressionNode fallback) : ExpressionNode(position)
{
    protected override object? EvaluateCore(EvaluationState state)
    {
        var result = value.Evaluate(state);
        return result is null or "" ? fallback.Evaluate(state) : result;
    }
}

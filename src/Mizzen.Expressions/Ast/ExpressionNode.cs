using Mizzen.Expressions.Evaluation;

namespace Mizzen.Expressions.Ast;

/// <summary>A node of a parsed expression. <see cref="Position"/> is the 0-based offset of its first character.</summary>
internal abstract class ExpressionNode(int position)
{
    public int Position { get; } = position;

    /// <summary>Counts one step against the evaluation bounds, then evaluates.</summary>
    public object? Evaluate(EvaluationState state)
    {
        state.Tick();
        return EvaluateCore(state);
    }

    protected abstract object? EvaluateCore(EvaluationState state);
}

/// <summary>A constant: string, number, boolean or null.</summary>
internal sealed class LiteralNode(int position, object? value) : ExpressionNode(position)
{
    public object? Value { get; } = value;

    protected override object? EvaluateCore(EvaluationState state) => Value;
}

/// <summary>The object the next name is looked up on: the root at the top, the element inside a selection or projection.</summary>
internal sealed class ActiveContextNode(int position) : ExpressionNode(position)
{
    protected override object? EvaluateCore(EvaluationState state) => state.ActiveContext;
}

/// <summary><c>#this</c>, <c>#root</c> or another variable (unknown variables are null, as in SpEL).</summary>
internal sealed class VariableNode(int position, string name) : ExpressionNode(position)
{
    public string Name { get; } = name;

    protected override object? EvaluateCore(EvaluationState state) => Name switch
    {
        "this" => state.ActiveContext,
        "root" => state.Root,
        _ => null,
    };
}

/// <summary><c>a = b</c>: parsed so the error can say why, never executed (expressions must not change the context).</summary>
internal sealed class AssignmentNode(int position) : ExpressionNode(position)
{
    protected override object? EvaluateCore(EvaluationState state) =>
        throw new ExpressionException("EL1034E: Assignment is not allowed in pipeline expressions; use == to compare");
}

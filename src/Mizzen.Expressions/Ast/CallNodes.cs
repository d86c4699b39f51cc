using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Types;

namespace Mizzen.Expressions.Ast;

/// <summary><c>#name(args)</c>: a helper function from the registry.</summary>
internal sealed class FunctionCallNode(int position, string name, IReadOnlyList<ExpressionNode> arguments) : ExpressionNode(position)
{
    public string Name { get; } = name;

    protected override object? EvaluateCore(EvaluationState state)
    {
        var args = ArgumentEvaluation.Evaluate(arguments, state);
        return state.Environment.Functions.Invoke(Name, args, state);
    }
}

/// <summary><c>T(java.util.UUID)</c>: only allow-listed types resolve; anything else is a syntax-level refusal at evaluation.</summary>
internal sealed class TypeReferenceNode(int position, string typeName) : ExpressionNode(position)
{
    public string TypeName { get; } = typeName;

    public AllowedType Type => AllowedTypes.Resolve(TypeName);

    protected override object? EvaluateCore(EvaluationState state) => Type;
}

/// <summary><c>new java.util.UUID(0, 0)</c>: constructors of allow-listed types only.</summary>
internal sealed class ConstructorNode(int position, string typeName, IReadOnlyList<ExpressionNode> arguments) : ExpressionNode(position)
{
    protected override object? EvaluateCore(EvaluationState state)
    {
        var type = AllowedTypes.Resolve(typeName);
        var args = ArgumentEvaluation.Evaluate(arguments, state);
        return type.Construct(args, state);
    }
}

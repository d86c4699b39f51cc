using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Types;

/// <summary>
/// One type an expression may name with <c>T(...)</c> or <c>new</c>. Its static members and constructors are exactly the
/// ones its subclass implements; nothing is reached by reflection.
/// </summary>
internal abstract class AllowedType
{
    /// <summary>The fully qualified Java name, e.g. <c>java.util.UUID</c>.</summary>
    public abstract string JavaName { get; }

    public string SimpleName => JavaName[(JavaName.LastIndexOf('.') + 1)..];

    public virtual object? ReadStatic(string name) =>
        throw new ExpressionException($"EL1008E: Property or field '{name}' cannot be found on type '{JavaName}'");

    public virtual bool TryInvokeStatic(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = null;
        return false;
    }

    public virtual object? Construct(object?[] args, EvaluationState state) =>
        throw new ExpressionException(
            $"EL1002E: Constructor call: No suitable constructor found on type {JavaName} for arguments ({string.Join(",", args.Select(JavaTypeNames.Of))})");

    public virtual bool IsInstance(object? value) => false;

    public override string ToString() => "class " + JavaName;

    protected ExpressionException NoConstructor(object?[] args) =>
        new($"EL1002E: Constructor call: No suitable constructor found on type {JavaName} for arguments ({string.Join(",", args.Select(JavaTypeNames.Of))})");
}

/// <summary>An instance of an allow-listed type (a date, a UUID ...) with the methods pipelines call on it.</summary>
internal interface IJavaObject
{
    string JavaTypeName { get; }

    bool TryInvoke(string name, object?[] args, EvaluationState state, out object? result);
}

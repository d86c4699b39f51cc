using Mizzen.Expressions.Evaluation;

namespace Mizzen.Expressions.Ast;

/// <summary><c>start.step[step]?.step</c>: a value followed by property reads, method calls, indexers, selections and projections.</summary>
internal sealed class ChainNode(int position, ExpressionNode start, IReadOnlyList<StepNode> steps) : ExpressionNode(position)
{
    protected override object? EvaluateCore(EvaluationState state)
    {
        var value = start.Evaluate(state);
        foreach (var step in steps)
        {
            state.Tick();
            value = step.Apply(value, state);
        }

        return value;
    }
}

/// <summary>One step of a <see cref="ChainNode"/>, applied to the value on its left.</summary>
internal abstract class StepNode(int position, bool nullSafe)
{
    public int Position { get; } = position;

    /// <summary><c>?.</c>: a null target gives null instead of an error.</summary>
    public bool NullSafe { get; } = nullSafe;

    public abstract object? Apply(object? target, EvaluationState state);
}

/// <summary><c>.name</c> (or a bare name at the start). <see cref="PathPrefix"/> is the text before it, for "did you mean" hints.</summary>
internal sealed class PropertyStep(int position, string name, bool nullSafe, string pathPrefix) : StepNode(position, nullSafe)
{
    public string Name { get; } = name;

    public string PathPrefix { get; } = pathPrefix;

    public override object? Apply(object? target, EvaluationState state) =>
        target is null && NullSafe ? null : PropertyAccess.Read(target, Name, state, PathPrefix);
}

/// <summary><c>.name(args)</c>; arguments are evaluated against the root (or the current selection element).</summary>
internal sealed class MethodStep(int position, string name, IReadOnlyList<ExpressionNode> arguments, bool nullSafe) : StepNode(position, nullSafe)
{
    public override object? Apply(object? target, EvaluationState state)
    {
        if (target is null && NullSafe)
        {
            return null;
        }

        var args = ArgumentEvaluation.Evaluate(arguments, state);
        return Methods.MethodDispatch.Invoke(target, name, args, state);
    }
}

/// <summary><c>[index]</c>: list position, map key, string character or property name.</summary>
internal sealed class IndexStep(int position, ExpressionNode index, bool nullSafe) : StepNode(position, nullSafe)
{
    public override object? Apply(object? target, EvaluationState state)
    {
        if (target is null && NullSafe)
        {
            return null;
        }

        var saved = state.ActiveContext;
        state.ActiveContext = state.ScopeRoot;
        object? key;
        try
        {
            key = index.Evaluate(state);
        }
        finally
        {
            state.ActiveContext = saved;
        }

        return PropertyAccess.Index(target, key, state);
    }
}

internal enum SelectionKind
{
    All,
    First,
    Last,
}

/// <summary><c>.?[criteria]</c>, <c>.^[criteria]</c>, <c>.$[criteria]</c>.</summary>
internal sealed class SelectionStep(int position, SelectionKind kind, ExpressionNode criteria, bool nullSafe) : StepNode(position, nullSafe)
{
    public override object? Apply(object? target, EvaluationState state) =>
        target is null && NullSafe ? null : CollectionOperations.Select(target, kind, criteria, state);
}

/// <summary><c>.![expression]</c></summary>
internal sealed class ProjectionStep(int position, ExpressionNode projection, bool nullSafe) : StepNode(position, nullSafe)
{
    public override object? Apply(object? target, EvaluationState state) =>
        target is null && NullSafe ? null : CollectionOperations.Project(target, projection, state);
}

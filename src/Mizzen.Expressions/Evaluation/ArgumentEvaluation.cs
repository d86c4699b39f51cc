using Mizzen.Expressions.Ast;

namespace Mizzen.Expressions.Evaluation;

/// <summary>Method and function arguments are evaluated against the scope root (the root, or the current selection element).</summary>
internal static class ArgumentEvaluation
{
    public static object?[] Evaluate(IReadOnlyList<ExpressionNode> arguments, EvaluationState state)
    {
        if (arguments.Count == 0)
        {
            return [];
        }

        var saved = state.ActiveContext;
        state.ActiveContext = state.ScopeRoot;
        try
        {
            var values = new object?[arguments.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = arguments[i].Evaluate(state);
            }

            return values;
        }
        finally
        {
            state.ActiveContext = saved;
        }
    }
}

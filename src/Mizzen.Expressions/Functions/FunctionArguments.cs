using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Functions;

/// <summary>Argument checks shared by the built-in functions, with messages that show the expected call.</summary>
internal static class FunctionArguments
{
    public static void Count(object?[] args, int expected, string signature)
    {
        if (args.Length != expected)
        {
            throw new ExpressionFunctionException($"{signature} takes {expected} argument(s), got {args.Length}");
        }
    }

    public static string Text(object?[] args, int index, string signature) => args[index] switch
    {
        string s => s,
        null => throw new ExpressionFunctionException($"{signature}: argument {index + 1} is null"),
        var other => JavaText.ToJavaString(other),
    };

    public static Core.Model.PipelineExecution Execution(EvaluationState state, string signature) =>
        state.Execution ?? throw new ExpressionFunctionException(
            $"{signature} needs a pipeline execution, and this expression is evaluated without one (root.execution is not an execution)");
}

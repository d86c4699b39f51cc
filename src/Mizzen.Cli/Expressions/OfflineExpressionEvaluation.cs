using System.Text.Json.Nodes;
using Mizzen.Expressions;

namespace Mizzen.Cli.Expressions;

/// <summary>The one place the CLI calls the expression engine's offline entry point (<see cref="OfflineEvaluation"/>).</summary>
internal static class OfflineExpressionEvaluation
{
    /// <returns><c>{"result": ..., "summary": ...}</c>.</returns>
    public static JsonObject Evaluate(JsonObject context, JsonNode? input)
    {
        try
        {
            return OfflineEvaluation.Run(context, input);
        }
        catch (ExpressionException e)
        {
            throw new CliException(e.Message);
        }
    }

    /// <summary><c>--expression TEXT</c>: the JSON string TEXT; a bare expression without <c>${ }</c> is wrapped in one.</summary>
    public static JsonNode Input(string text) => OfflineEvaluation.ExpressionInput(text);
}

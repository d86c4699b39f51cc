using System.CommandLine;
using System.Text.Json.Nodes;

namespace Mizzen.Cli.Expressions;

/// <summary><c>mizzen expression eval</c>: evaluates <c>${…}</c> expressions offline against a context file.</summary>
internal static class ExpressionCommands
{
    public static Command Create(CliCommand cli) => CliCommand.Group("expression", "Pipeline expressions (${...}), evaluated offline", Eval(cli));

    private static Command Eval(CliCommand cli)
    {
        var contextFile = new Option<string>("--context") { Description = "JSON object the expressions see (e.g. {execution, trigger, parameters})", HelpName = "CONTEXT.json", Required = true };
        var inputFile = new Option<string?>("--input") { Description = "JSON whose strings containing ${...} are evaluated", HelpName = "INPUT.json" };
        var expression = new Option<string?>("--expression") { Description = "one text to evaluate, e.g. '${parameters.env}' (bare 'parameters.env' is wrapped in ${})", HelpName = "TEXT" };
        var command = new Command("eval", "Evaluate expressions in --input (or --expression) against --context; prints {result, summary}, exit 1 on an ERROR")
        {
            contextFile, inputFile, expression,
        };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var file = context.Value(inputFile);
            var text = context.Value(expression);
            if ((file is null) == (text is null))
            {
                throw CliException.Usage("give exactly one of --input FILE or --expression TEXT");
            }

            var root = await InputFiles.ReadObjectAsync(context.Value(contextFile)!, context.Error, cancellationToken);
            var input = file is null ? OfflineExpressionEvaluation.Input(text!) : await InputFiles.ReadJsonAsync(file, context.Error, cancellationToken);
            var evaluated = OfflineExpressionEvaluation.Evaluate(root, input);
            context.WriteJson(evaluated);
            return HasErrors(evaluated["summary"]) ? ExitCodes.Failed : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The summary is <c>{"expression": [{level, description, ...}]}</c>; INFO (a missing name) is not an error.</summary>
    private static bool HasErrors(JsonNode? summary) =>
        summary is JsonObject failures && failures.Any(entry => entry.Value is JsonArray list
            && list.Any(f => f?["level"]?.GetValue<string>() == "ERROR"));
}

using System.CommandLine;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;

namespace Mizzen.Cli.Pipelines;

/// <summary>
/// <c>mizzen pipeline validate -f FILE</c>: every problem in a pipeline file, found offline, one per line as
/// <c>location: message</c> (a warning starts with <c>warning: </c>). Exit 0 when there are no errors (warnings alone do
/// not fail it), 1 when there is an error: the pipeline is not runnable as it is.
/// </summary>
internal static class PipelineValidateCommand
{
    public static Command Create(CliCommand cli)
    {
        var file = new Option<string>("--file", "-f") { Description = "pipeline config JSON (- for stdin)", HelpName = "FILE", Required = true };
        var command = new Command("validate", "Check a pipeline file offline: JSON, refIds, cycles, stage types, cloud providers, required fields, expressions, triggers") { file };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var text = await InputFiles.ReadTextAsync(context.Value(file)!, cancellationToken);
            var problems = OfflinePipelineValidation.Validate(text);
            var errors = problems.Where(p => p.IsError).ToList();
            var warnings = problems.Where(p => !p.IsError).ToList();
            if (context.Json)
            {
                context.WriteJson(new JsonObject
                {
                    ["valid"] = errors.Count == 0,
                    ["errors"] = ToJson(errors),
                    ["warnings"] = ToJson(warnings),
                });
            }
            else
            {
                foreach (var problem in errors.Concat(warnings))
                {
                    context.Out.WriteLine(problem.ToString());
                }

                if (errors.Count == 0)
                {
                    context.Out.WriteLine(warnings.Count == 0 ? "valid" : $"valid, with {warnings.Count} warning{(warnings.Count == 1 ? "" : "s")}");
                }
            }

            return errors.Count == 0 ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    private static JsonArray ToJson(IEnumerable<ValidationProblem> problems) =>
        new([.. problems.Select(p => (JsonNode?)new JsonObject { ["location"] = p.Location, ["message"] = p.Message })]);
}

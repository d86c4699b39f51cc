using System.CommandLine;
using System.Text.Json.Nodes;

namespace Mizzen.Cli.Pipelines;

/// <summary><c>mizzen pipeline validate -f FILE</c>: every problem in a pipeline file, found offline.</summary>
internal static class PipelineValidateCommand
{
    public static Command Create(CliCommand cli)
    {
        var file = new Option<string>("--file", "-f") { Description = "pipeline config JSON", HelpName = "FILE", Required = true };
        var command = new Command("validate", "Check a pipeline file offline: JSON, refIds, cycles, stage types, required fields, expressions") { file };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var text = await InputFiles.ReadTextAsync(context.Value(file)!, cancellationToken);
            var problems = OfflinePipelineValidation.Validate(text);
            if (context.Json)
            {
                context.WriteJson(new JsonObject
                {
                    ["valid"] = problems.Count == 0,
                    ["errors"] = new JsonArray(problems
                        .Select(p => (JsonNode?)new JsonObject { ["location"] = p.Location, ["message"] = p.Message })
                        .ToArray()),
                });
            }
            else if (problems.Count == 0)
            {
                context.Out.WriteLine("valid");
            }
            else
            {
                foreach (var problem in problems)
                {
                    context.Out.WriteLine(problem.ToString());
                }
            }

            return problems.Count == 0 ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }
}

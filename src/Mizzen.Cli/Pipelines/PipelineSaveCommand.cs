using System.CommandLine;
using System.Text.Json.Nodes;
using Mizzen.Cli.Http;
using Mizzen.Core.Json;

namespace Mizzen.Cli.Pipelines;

/// <summary><c>mizzen pipeline save -f FILE</c>: <c>POST /pipelines</c> with the file's JSON as it is.</summary>
internal static class PipelineSaveCommand
{
    public static Command Create(CliCommand cli)
    {
        var file = new Option<string>("--file", "-f") { Description = "pipeline config JSON", HelpName = "FILE", Required = true };
        var command = new Command("save", "Create or update a pipeline config from a JSON file") { file };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var path = context.Value(file)!;
            var text = await InputFiles.ReadTextAsync(path, cancellationToken);
            if (InputFiles.ParseJson(text, path, context.Error) is not JsonObject config)
            {
                throw CliException.Usage($"{path} must hold a pipeline config (a JSON object)");
            }

            var answer = await context.Client.SendTextAsync(HttpMethod.Post, "pipelines", text, cancellationToken);
            foreach (var warning in context.Client.LastWarnings)
            {
                context.Error.WriteLine($"mizzen: {warning}");
            }

            if (context.Json)
            {
                context.WriteJson(answer);
                return ExitCodes.Success;
            }

            var saved = answer as JsonObject ?? config;
            var id = saved["id"].AsString();
            context.Out.WriteLine($"saved pipeline {saved["name"].AsString()} of {saved["application"].AsString()}{(id is null ? "" : $" (id {id})")}");
            return ExitCodes.Success;
        });
        return command;
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;
using Mizzen.Cli.Executions;
using Mizzen.Cli.Http;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Cli.Pipelines;

/// <summary>
/// <c>mizzen pipeline execute APP NAME [-p k=v]... [-f params.json] [--artifact type=...,name=...]... [--artifacts-file a.json]
/// [--expected-artifact ID]... [--wait]</c> (alias <c>run</c>): a manual trigger (<c>POST /pipelines/{app}/{name}</c>, 202 <c>{ref}</c>)
/// carrying artifacts and the expected artifact ids to bind, as Gate takes them; <c>--wait</c> follows the run and exits 0 only when
/// it succeeds.
/// </summary>
internal static class PipelineExecuteCommand
{
    public static Command Create(CliCommand cli)
    {
        var application = PipelineCommands.ApplicationArgument();
        var name = PipelineCommands.NameArgument();
        var parameters = new Option<string[]>("--parameter", "-p") { Description = "a trigger parameter (repeatable)", HelpName = "key=value" };
        var file = new Option<string?>("--file", "-f") { Description = "JSON object of parameters (-p wins)", HelpName = "params.json" };
        var artifacts = new Option<string[]>("--artifact", "-a")
        {
            Description = "an artifact for the run (repeatable)", HelpName = "type=docker/image,name=...,version=...,reference=...",
        };
        var artifactsFile = new Option<string?>("--artifacts-file") { Description = "JSON list of artifacts for the run", HelpName = "artifacts.json" };
        var expected = new Option<string[]>("--expected-artifact", "-e") { Description = "id of an expectedArtifact to bind (repeatable)", HelpName = "id" };
        var wait = new Option<bool>("--wait") { Description = "follow the run, print each stage status change, exit 0 only on SUCCEEDED" };
        var command = new Command("execute", "Run a pipeline (manual trigger)") { application, name, parameters, file, artifacts, artifactsFile, expected, wait };
        command.Aliases.Add("run");
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var trigger = new JsonObject
            {
                ["type"] = "manual",
                ["parameters"] = await TriggerParameters.ReadAsync(context.Value(file), context.Value(parameters) ?? [], context.Error, cancellationToken),
            };
            var given = await TriggerArtifacts.ReadAsync(context.Value(artifactsFile), context.Value(artifacts) ?? [], context.Error, cancellationToken);
            if (given.Count > 0)
            {
                trigger["artifacts"] = given;
            }

            if (context.Value(expected) is { Length: > 0 } ids)
            {
                trigger["expectedArtifactIds"] = new JsonArray([.. ids.Select(id => (JsonNode)id)]);
            }
            var path = ApiPath.Of("pipelines", context.Value(application), context.Value(name));
            var answer = await context.Client.SendAsync(HttpMethod.Post, path, trigger, cancellationToken);
            var executionId = ExecutionId(answer);
            if (!context.Value(wait))
            {
                if (context.Json)
                {
                    context.WriteJson(answer);
                }
                else
                {
                    context.Out.WriteLine(executionId);
                }

                return ExitCodes.Success;
            }

            if (!context.Json)
            {
                context.Out.WriteLine(executionId);
            }

            return await ExecutionWait.FollowAndReportAsync(context, executionId, cancellationToken);
        });
        return command;
    }

    /// <summary>Gate answers <c>{"ref": "/pipelines/&lt;id&gt;"}</c>.</summary>
    private static string ExecutionId(JsonNode? answer)
    {
        var reference = (answer as JsonObject)?["ref"].AsString();
        var id = reference?.TrimEnd('/').Split('/')[^1] ?? (answer as JsonObject)?["id"].AsString();
        return string.IsNullOrEmpty(id)
            ? throw new CliException($"the server started the pipeline but sent no execution ref: {answer?.ToJsonString() ?? "(empty)"}")
            : id;
    }
}

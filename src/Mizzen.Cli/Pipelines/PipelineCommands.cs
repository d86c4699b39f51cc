using System.CommandLine;
using System.Text.Json.Nodes;
using Mizzen.Cli.Http;
using Mizzen.Cli.Output;
using Mizzen.Core.Json;

namespace Mizzen.Cli.Pipelines;

/// <summary><c>mizzen pipeline …</c>: pipeline configs (<c>/applications/{app}/pipelineConfigs</c>, <c>/pipelines</c>) and runs.</summary>
internal static class PipelineCommands
{
    public static Command Create(CliCommand cli) => CliCommand.Group("pipeline", "Pipeline configs: list, show, save, delete, validate, history, diff, execute",
        List(cli), Get(cli), PipelineSaveCommand.Create(cli), Delete(cli), PipelineValidateCommand.Create(cli),
        PipelineHistoryCommands.History(cli), PipelineHistoryCommands.Diff(cli), PipelineExecuteCommand.Create(cli));

    internal static Argument<string> ApplicationArgument() => new("APP") { Description = "application name" };

    internal static Argument<string> NameArgument() => new("NAME") { Description = "pipeline name" };

    internal static string ConfigPath(string application, string name) => ApiPath.Of("applications", application, "pipelineConfigs", name);

    private static Command List(CliCommand cli)
    {
        var application = ApplicationArgument();
        var command = new Command("list", "List an application's pipeline configs") { application };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var answer = await context.Client.GetAsync(ApiPath.Of("applications", context.Value(application), "pipelineConfigs"), cancellationToken);
            if (context.Json)
            {
                context.WriteJson(answer);
                return ExitCodes.Success;
            }

            var rows = Answers.Array(answer, "pipeline configs").OfType<JsonObject>().Select(config => new[]
            {
                config["name"].AsString(),
                config["id"].AsString(),
                (config["stages"] as JsonArray)?.Count.ToString(),
                Triggers(config),
                config["disabled"].AsBool() == true ? "yes" : "no",
                Display.Time(config["updateTs"].AsLong(), context.Clock),
            });
            TableRenderer.Write(context.Out, ["name", "id", "stages", "triggers", "disabled", "updated"], rows);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Get(CliCommand cli)
    {
        var application = ApplicationArgument();
        var name = NameArgument();
        var command = new Command("get", "Show one pipeline config (-o json for the full config)") { application, name };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var answer = await context.Client.GetAsync(ConfigPath(context.Value(application), context.Value(name)), cancellationToken);
            if (context.Json)
            {
                context.WriteJson(answer);
                return ExitCodes.Success;
            }

            var config = Answers.Object(answer, "pipeline config");
            FieldList.Write(context.Out,
                ("name", config["name"].AsString()),
                ("application", config["application"].AsString()),
                ("id", config["id"].AsString()),
                ("disabled", config["disabled"].AsBool() == true ? "yes" : null),
                ("triggers", Triggers(config)),
                ("parameters", Parameters(config)),
                ("updated", Display.Time(config["updateTs"].AsLong(), context.Clock)),
                ("last modified by", config["lastModifiedBy"].AsString()));
            context.Out.WriteLine();
            var stages = (config["stages"] as JsonArray ?? []).OfType<JsonObject>().Select(stage => new[]
            {
                stage["refId"].AsString(),
                stage["name"].AsString(),
                stage["type"].AsString(),
                string.Join(",", (stage["requisiteStageRefIds"] as JsonArray ?? []).Select(r => r.AsString())),
            });
            TableRenderer.Write(context.Out, ["refId", "stage", "type", "requires"], stages);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete(CliCommand cli)
    {
        var application = ApplicationArgument();
        var name = NameArgument();
        var command = new Command("delete", "Delete a pipeline config") { application, name };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var path = ApiPath.Of("pipelines", context.Value(application), context.Value(name));
            var answer = await context.Client.SendAsync(HttpMethod.Delete, path, null, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(answer ?? new JsonObject { ["deleted"] = context.Value(name), ["application"] = context.Value(application) });
            }
            else
            {
                context.Out.WriteLine($"deleted pipeline {context.Value(name)} of {context.Value(application)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Triggers(JsonObject config) =>
        string.Join(",", (config["triggers"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(t => t["type"].AsString() + (t["enabled"].AsBool() == false ? "(off)" : "")));

    private static string Parameters(JsonObject config) =>
        string.Join(", ", (config["parameterConfig"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(p => p["default"].AsString() is { Length: > 0 } value ? $"{p["name"].AsString()}={value}" : p["name"].AsString()));
}

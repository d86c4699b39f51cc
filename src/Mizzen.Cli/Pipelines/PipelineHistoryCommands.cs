using System.CommandLine;
using System.Text.Json.Nodes;
using Mizzen.Cli.Http;
using Mizzen.Cli.Output;
using Mizzen.Core.Json;

namespace Mizzen.Cli.Pipelines;

/// <summary><c>mizzen pipeline history</c> and <c>diff</c>: saved revisions of a config (<c>/pipelineConfigs/{id}/history</c>).</summary>
internal static class PipelineHistoryCommands
{
    public static Command History(CliCommand cli)
    {
        var application = PipelineCommands.ApplicationArgument();
        var name = PipelineCommands.NameArgument();
        var limit = new Option<int?>("--limit") { Description = "how many revisions, newest first", HelpName = "N" };
        var revision = new Option<string?>("--revision") { Description = "show this revision's config", HelpName = "R" };
        var command = new Command("history", "List a pipeline's saved revisions, or show one with --revision") { application, name, limit, revision };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var id = await ConfigIdAsync(context, context.Value(application), context.Value(name), cancellationToken);
            if (context.Value(revision) is { } wanted)
            {
                var one = await context.Client.GetAsync(ApiPath.Of("pipelineConfigs", id, "history", wanted), cancellationToken);
                WriteRevision(context, Answers.Object(one, "pipeline revision"));
                return ExitCodes.Success;
            }

            if (context.Value(limit) is <= 0)
            {
                throw CliException.Usage("--limit must be a positive number");
            }

            var path = ApiPath.WithQuery(ApiPath.Of("pipelineConfigs", id, "history"), ("limit", context.Value(limit)?.ToString()));
            var answer = await context.Client.GetAsync(path, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(answer);
                return ExitCodes.Success;
            }

            var rows = Answers.Array(answer, "pipeline revisions").OfType<JsonObject>().Select(entry => new[]
            {
                entry["revision"].AsString(),
                entry["user"].AsString(),
                Display.Time(entry["timestamp"].AsLong(), context.Clock),
                ((entry["pipeline"] as JsonObject)?["stages"] as JsonArray)?.Count.ToString(),
            });
            TableRenderer.Write(context.Out, ["revision", "user", "saved", "stages"], rows);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Diff(CliCommand cli)
    {
        var application = PipelineCommands.ApplicationArgument();
        var name = PipelineCommands.NameArgument();
        var from = new Argument<string>("A") { Description = "older revision" };
        var to = new Argument<string>("B") { Description = "newer revision" };
        var command = new Command("diff", "Show what changed between two revisions (unified diff)") { application, name, from, to };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var id = await ConfigIdAsync(context, context.Value(application), context.Value(name), cancellationToken);
            var path = ApiPath.WithQuery(ApiPath.Of("pipelineConfigs", id, "diff"), ("from", context.Value(from)), ("to", context.Value(to)));
            var answer = await context.Client.GetAsync(path, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(answer);
                return ExitCodes.Success;
            }

            var diff = Answers.Object(answer, "diff")["diff"].AsString() ?? "";
            context.Out.Write(diff.Length == 0 || diff.EndsWith('\n') ? diff : diff + "\n");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>History is kept per config id; the id comes from the config itself.</summary>
    private static async Task<string> ConfigIdAsync(CliContext context, string application, string name, CancellationToken cancellationToken)
    {
        var config = Answers.Object(await context.Client.GetAsync(PipelineCommands.ConfigPath(application, name), cancellationToken), "pipeline config");
        return config["id"].AsString() is { Length: > 0 } id
            ? id
            : throw new CliException($"pipeline {name} of {application} has no id: save it once to start its history");
    }

    private static void WriteRevision(CliContext context, JsonObject entry)
    {
        if (context.Json)
        {
            context.WriteJson(entry);
            return;
        }

        FieldList.Write(context.Out,
            ("revision", entry["revision"].AsString()),
            ("user", entry["user"].AsString()),
            ("saved", Display.Time(entry["timestamp"].AsLong(), context.Clock)));
        context.WriteJson(entry["pipeline"]);
    }
}

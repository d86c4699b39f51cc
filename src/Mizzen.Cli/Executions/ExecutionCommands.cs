using System.CommandLine;
using System.Text.Json.Nodes;
using Mizzen.Cli.Http;
using Mizzen.Cli.Output;
using Mizzen.Core.Model;

namespace Mizzen.Cli.Executions;

/// <summary><c>mizzen execution …</c>: runs of pipelines (<c>/pipelines/{id}</c>, <c>/applications/{app}/pipelines</c>).</summary>
internal static class ExecutionCommands
{
    public static Command Create(CliCommand cli) => CliCommand.Group("execution", "Pipeline runs: list, show, cancel, pause, resume, judge, restart, skip",
        List(cli), Get(cli), Cancel(cli), Control(cli, "pause", "Pause a running execution"), Control(cli, "resume", "Resume a paused execution"),
        StageCommands.Judge(cli), StageCommands.Restart(cli), StageCommands.Skip(cli));

    internal static Argument<string> IdArgument() => new("ID") { Description = "execution id" };

    private static Command List(CliCommand cli)
    {
        var application = new Argument<string>("APP") { Description = "application name" };
        var limit = new Option<int?>("--limit") { Description = "runs per pipeline (server default 10)", HelpName = "N" };
        var statuses = new Option<string?>("--status") { Description = "only these statuses, e.g. RUNNING,TERMINAL", HelpName = "S,..." };
        var pipeline = new Option<string?>("--pipeline") { Description = "only runs of this pipeline", HelpName = "NAME" };
        var command = new Command("list", "List an application's runs, newest first") { application, limit, statuses, pipeline };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            if (context.Value(limit) is <= 0)
            {
                throw CliException.Usage("--limit must be a positive number");
            }

            var path = ApiPath.WithQuery(ApiPath.Of("applications", context.Value(application), "pipelines"),
                ("limit", context.Value(limit)?.ToString()),
                ("statuses", NormalizeStatuses(context.Value(statuses))),
                ("pipelineName", context.Value(pipeline)));
            var answer = await context.Client.GetAsync(path, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(answer);
                return ExitCodes.Success;
            }

            var executions = Answers.As<List<PipelineExecution>>(answer, "list of executions");
            TableRenderer.Write(context.Out, ["id", "pipeline", "status", "started", "duration", "trigger"],
                executions.Select(e => new[]
                {
                    e.Id, e.Name, Display.Status(e.Status), Display.Time(e.StartTime, context.Clock),
                    Display.Duration(e.StartTime, e.EndTime, context.Clock), ExecutionView.Trigger(e),
                }));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Get(CliCommand cli)
    {
        var id = IdArgument();
        var command = new Command("get", "Show one run: its stages, their status, timing and errors") { id };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var answer = await context.Client.GetAsync(ApiPath.Of("pipelines", context.Value(id)), cancellationToken);
            if (context.Json)
            {
                context.WriteJson(answer);
            }
            else
            {
                ExecutionView.Write(context.Out, Answers.As<PipelineExecution>(answer, "execution"), context.Clock);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Cancel(CliCommand cli)
    {
        var id = IdArgument();
        var reason = new Option<string?>("--reason") { Description = "why, shown on the run", HelpName = "R" };
        var command = new Command("cancel", "Cancel a run") { id, reason };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var path = ApiPath.WithQuery(ApiPath.Of("pipelines", context.Value(id), "cancel"), ("reason", context.Value(reason)));
            var answer = await context.Client.SendAsync(HttpMethod.Put, path, null, cancellationToken);
            Done(context, answer, $"canceled execution {context.Value(id)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Control(CliCommand cli, string verb, string description)
    {
        var id = IdArgument();
        var command = new Command(verb, description) { id };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var answer = await context.Client.SendAsync(HttpMethod.Put, ApiPath.Of("pipelines", context.Value(id), verb), null, cancellationToken);
            Done(context, answer, $"{(verb == "pause" ? "paused" : "resumed")} execution {context.Value(id)}");
            return ExitCodes.Success;
        });
        return command;
    }

    internal static void Done(CliContext context, JsonNode? answer, string message)
    {
        if (context.Json)
        {
            context.WriteJson(answer ?? new JsonObject { ["message"] = message });
        }
        else
        {
            context.Out.WriteLine(message);
        }
    }

    private static string? NormalizeStatuses(string? statuses)
    {
        if (string.IsNullOrWhiteSpace(statuses))
        {
            return null;
        }

        var names = statuses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            if (!ExecutionStatusExtensions.TryParseWireName(name, out _))
            {
                throw CliException.Usage($"--status {name}: not a status (use NOT_STARTED, RUNNING, PAUSED, SUCCEEDED, TERMINAL, CANCELED, ...)");
            }
        }

        return string.Join(',', names.Select(n => n.ToUpperInvariant()));
    }
}

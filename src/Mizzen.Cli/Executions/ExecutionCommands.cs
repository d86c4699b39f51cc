using System.CommandLine;
using System.Text.Json.Nodes;
using Mizzen.Cli.Http;
using Mizzen.Core.Model;

namespace Mizzen.Cli.Executions;

/// <summary><c>mizzen execution …</c>: runs of pipelines and tasks (<c>/pipelines/{id}</c>; the list is <see cref="ExecutionListCommand"/>).</summary>
internal static class ExecutionCommands
{
    public static Command Create(CliCommand cli) => CliCommand.Group("execution", "Pipeline runs: list, show, cancel, pause, resume, judge, restart, skip",
        ExecutionListCommand.Create(cli), Get(cli), Cancel(cli), Control(cli, "pause", "Pause a running execution"), Control(cli, "resume", "Resume a paused execution"),
        StageCommands.Judge(cli), StageCommands.Restart(cli), StageCommands.Skip(cli));

    internal static Argument<string> IdArgument() => new("ID") { Description = "execution id" };

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
}

using System.CommandLine;
using System.Text.Json.Nodes;
using Mizzen.Cli.Http;
using Mizzen.Core.Model;

namespace Mizzen.Cli.Executions;

/// <summary>
/// <c>mizzen execution judge|restart|skip ID STAGE</c>: stage updates (<c>PATCH /pipelines/{id}/stages/{stageId}</c>)
/// and restarts. STAGE is a stage id or name; names are resolved with <c>GET /pipelines/{id}</c>.
/// </summary>
internal static class StageCommands
{
    private static readonly string[] WaitingStageTypes = ["wait", "restrictExecutionDuringTimeWindow"];

    public static Command Judge(CliCommand cli)
    {
        var id = ExecutionCommands.IdArgument();
        var stage = StageArgument();
        var proceed = new Option<bool>("--continue") { Description = "let the pipeline go on" };
        var stop = new Option<bool>("--stop") { Description = "stop the pipeline here" };
        var input = new Option<string?>("--input") { Description = "the judgment input (one of the stage's options)", HelpName = "TEXT" };
        var command = new Command("judge", "Answer a manual judgment stage") { id, stage, proceed, stop, input };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            if (context.Value(proceed) == context.Value(stop))
            {
                throw CliException.Usage("give exactly one of --continue or --stop");
            }

            var target = await ResolveAsync(context, context.Value(id), context.Value(stage), "manualJudgment", cancellationToken);
            var judgment = context.Value(proceed) ? "continue" : "stop";
            var body = new JsonObject { ["judgmentStatus"] = judgment };
            if (context.Value(input) is { } text)
            {
                body["judgmentInput"] = text;
            }

            var answer = await context.Client.SendAsync(HttpMethod.Patch, StagePath(context.Value(id), target.Id), body, cancellationToken);
            ExecutionCommands.Done(context, answer, $"judged {target.Name}: {judgment}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Restart(CliCommand cli)
    {
        var id = ExecutionCommands.IdArgument();
        var stage = StageArgument();
        var command = new Command("restart", "Run a finished stage (and what follows it) again") { id, stage };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var target = await ResolveAsync(context, context.Value(id), context.Value(stage), null, cancellationToken);
            var answer = await context.Client.SendAsync(HttpMethod.Put, StagePath(context.Value(id), target.Id) + "/restart", null, cancellationToken);
            ExecutionCommands.Done(context, answer, $"restarted {target.Name}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Skip(CliCommand cli)
    {
        var id = ExecutionCommands.IdArgument();
        var stage = StageArgument();
        var command = new Command("skip", "Skip a stage (for a wait or execution window: skip the rest of the wait)") { id, stage };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var target = await ResolveAsync(context, context.Value(id), context.Value(stage), null, cancellationToken);
            var waiting = WaitingStageTypes.Contains(target.Type, StringComparer.Ordinal);
            var body = waiting ? new JsonObject { ["skipRemainingWait"] = true } : new JsonObject { ["manualSkip"] = true };
            var answer = await context.Client.SendAsync(HttpMethod.Patch, StagePath(context.Value(id), target.Id), body, cancellationToken);
            ExecutionCommands.Done(context, answer, waiting ? $"skipped the rest of the wait in {target.Name}" : $"skipped {target.Name}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Argument<string> StageArgument() => new("STAGE") { Description = "stage id or stage name" };

    private static string StagePath(string executionId, string stageId) => ApiPath.Of("pipelines", executionId, "stages", stageId);

    private static async Task<StageExecution> ResolveAsync(
        CliContext context, string executionId, string stage, string? preferredType, CancellationToken cancellationToken)
    {
        var answer = await context.Client.GetAsync(ApiPath.Of("pipelines", executionId), cancellationToken);
        return StageResolver.Resolve(Answers.As<PipelineExecution>(answer, "execution"), stage, preferredType);
    }
}

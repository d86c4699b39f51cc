using System.CommandLine;
using System.Globalization;
using Mizzen.Cli.Http;
using Mizzen.Core.Json;

namespace Mizzen.Cli.Instances;

/// <summary>
/// <c>mizzen instance logs ACCOUNT ID [--stderr] [--tail N] [-f]</c>: prints the last N lines; <c>-f</c> then keeps asking for what was
/// written after the last offset (<c>?offset=nextOffset</c>) every poll interval until Ctrl+C.
/// </summary>
internal static class InstanceLogsCommand
{
    public static Command Create(CliCommand cli)
    {
        var account = InstanceCommands.AccountArgument();
        var id = InstanceCommands.IdArgument();
        var stderr = new Option<bool>("--stderr") { Description = "the instance's stderr instead of stdout" };
        var tail = new Option<int>("--tail") { Description = "lines to show first (default 100)", HelpName = "N", DefaultValueFactory = _ => 100 };
        var follow = new Option<bool>("--follow", "-f") { Description = "keep printing new output until Ctrl+C" };
        var command = new Command("logs", "Print an instance's stdout (or stderr)") { account, id, stderr, tail, follow };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            if (context.Value(tail) < 0)
            {
                throw CliException.Usage("--tail must be 0 or more");
            }

            var path = ApiPath.Of("instances", context.Value(account), context.Value(id), "logs");
            var stream = context.Value(stderr) ? "stderr" : "stdout";
            var chunk = await ReadAsync(context, ApiPath.WithQuery(path, ("stream", stream), ("tail", context.Value(tail).ToString(CultureInfo.InvariantCulture))), cancellationToken);
            while (context.Value(follow))
            {
                await Task.Delay(context.Settings.PollInterval, context.Clock, cancellationToken);
                var offset = chunk["nextOffset"].AsLong() ?? throw new CliException("the server's log answer has no nextOffset to follow from");
                chunk = await ReadAsync(context, ApiPath.WithQuery(path, ("stream", stream), ("offset", offset.ToString(CultureInfo.InvariantCulture))), cancellationToken);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> ReadAsync(CliContext context, string path, CancellationToken cancellationToken)
    {
        var chunk = Answers.Object(await context.Client.GetAsync(path, cancellationToken), "log chunk");
        if (context.Json)
        {
            context.Out.WriteLine(chunk.ToJsonString());
        }
        else if (chunk["text"].AsString() is { Length: > 0 } text)
        {
            await context.Out.WriteAsync(text);
            await context.Out.FlushAsync(cancellationToken);
        }

        return chunk;
    }
}

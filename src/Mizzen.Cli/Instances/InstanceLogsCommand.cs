using System.CommandLine;
using System.Globalization;
using Mizzen.Cli.Http;
using Mizzen.Core.Json;

namespace Mizzen.Cli.Instances;

/// <summary>
/// <c>mizzen instance logs [ACCOUNT] ID [--stderr] [--tail N] [-f]</c>: prints the last N lines; <c>-f</c> then keeps asking for what was
/// written after the last offset (<c>?offset=nextOffset</c>) every poll interval until Ctrl+C. Without ACCOUNT the server finds the
/// account that runs the instance (<c>GET /instances/{id}/logs</c>).
/// </summary>
internal static class InstanceLogsCommand
{
    public static Command Create(CliCommand cli)
    {
        var target = new Argument<string[]>("[ACCOUNT] INSTANCE")
        {
            Description = "instance id (see `mizzen cluster get`), optionally after its account (e.g. prod demo-prod-v001-i1); without it the server finds the account",
            Arity = new ArgumentArity(1, 2),
        };
        var stderr = new Option<bool>("--stderr") { Description = "the instance's stderr instead of stdout" };
        var tail = new Option<int>("--tail") { Description = "lines to show first (default 100)", HelpName = "N", DefaultValueFactory = _ => 100 };
        var follow = new Option<bool>("--follow", "-f") { Description = "keep printing new output until Ctrl+C" };
        var command = new Command("logs", "Print an instance's stdout (or stderr)") { target, stderr, tail, follow };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            if (context.Value(tail) < 0)
            {
                throw CliException.Usage("--tail must be 0 or more");
            }

            var path = LogPath(context.Value(target));
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

    /// <summary><c>instances/{account}/{id}/logs</c>, or <c>instances/{id}/logs</c> when only the id is given.</summary>
    private static string LogPath(string[] target) => target switch
    {
        [var id] => ApiPath.Of("instances", id, "logs"),
        [var account, var id] => ApiPath.Of("instances", account, id, "logs"),
        _ => throw CliException.Usage("instance logs takes [ACCOUNT] INSTANCE"),
    };

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

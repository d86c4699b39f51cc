using System.CommandLine;
using Mizzen.Cli.Http;
using Mizzen.Cli.Output;
using Mizzen.Core.Json;

namespace Mizzen.Cli.Instances;

/// <summary><c>mizzen instance get ACCOUNT ID</c> and <c>instance logs [ACCOUNT] ID [--stderr] [--tail N] [-f]</c>.</summary>
internal static class InstanceCommands
{
    public static Command Create(CliCommand cli) => CliCommand.Group("instance", "Instances: details and logs", Get(cli), InstanceLogsCommand.Create(cli));

    internal static Argument<string> AccountArgument() => new("ACCOUNT") { Description = "account, e.g. prod" };

    internal static Argument<string> IdArgument() => new("INSTANCE") { Description = "instance id (see `mizzen cluster get`)" };

    private static Command Get(CliCommand cli)
    {
        var account = AccountArgument();
        var id = IdArgument();
        var command = new Command("get", "Show one instance: health, server group, port, process") { account, id };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var answer = await context.Client.GetAsync(ApiPath.Of("instances", context.Value(account), context.Value(id)), cancellationToken);
            if (context.Json)
            {
                context.WriteJson(answer);
                return ExitCodes.Success;
            }

            var instance = Answers.Object(answer, "instance");
            FieldList.Write(context.Out,
                ("instance", instance["id"].AsString()),
                ("account", instance["account"].AsString()),
                ("server group", instance["serverGroup"].AsString()),
                ("health", instance["healthState"].AsString()),
                ("port", instance["port"].AsLong()?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("pid", instance["pid"].AsLong()?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("restarts", instance["restarts"].AsLong()?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("launched", Display.Time(instance["launchTime"].AsLong(), context.Clock)));
            return ExitCodes.Success;
        });
        return command;
    }
}

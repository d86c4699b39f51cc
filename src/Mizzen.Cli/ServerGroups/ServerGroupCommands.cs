using System.CommandLine;
using System.Text.Json.Nodes;
using Mizzen.Cli.Http;

namespace Mizzen.Cli.ServerGroups;

/// <summary>
/// <c>mizzen server-group resize|enable|disable|destroy APP ACCOUNT NAME</c> and <c>rollback APP ACCOUNT CLUSTER</c>: each starts an
/// ad-hoc orchestration on the server and prints its execution id; <c>--wait</c> follows it.
/// </summary>
internal static class ServerGroupCommands
{
    public static Command Create(CliCommand cli) => CliCommand.Group("server-group", "Server groups: resize, enable, disable, destroy, roll a cluster back",
        Resize(cli), Simple(cli, "enable", "Send traffic to a server group"), Simple(cli, "disable", "Stop traffic to a server group (instances keep running)"),
        Destroy(cli), Rollback(cli));

    private static Command Resize(CliCommand cli)
    {
        var (application, account, name, wait) = Arguments("NAME", "server group, e.g. demo-prod-v002");
        var desired = new Option<int>("--desired") { Description = "instances to run", HelpName = "N", Required = true };
        var command = new Command("resize", "Change how many instances a server group runs") { application, account, name, desired, wait };
        cli.Handle(command, (context, cancellationToken) =>
        {
            var count = context.Value(desired);
            if (count is < 0 or > 1000)
            {
                throw CliException.Usage("--desired must be from 0 to 1000");
            }

            var body = new JsonObject { ["capacity"] = new JsonObject { ["min"] = count, ["max"] = count, ["desired"] = count } };
            return OperationRun.StartAsync(context, HttpMethod.Post, Path(context, application, account, name, "resize"), body, context.Value(wait), cancellationToken);
        });
        return command;
    }

    private static Command Simple(CliCommand cli, string verb, string description)
    {
        var (application, account, name, wait) = Arguments("NAME", "server group, e.g. demo-prod-v002");
        var command = new Command(verb, description) { application, account, name, wait };
        cli.Handle(command, (context, cancellationToken) =>
            OperationRun.StartAsync(context, HttpMethod.Post, Path(context, application, account, name, verb), null, context.Value(wait), cancellationToken));
        return command;
    }

    private static Command Destroy(CliCommand cli)
    {
        var (application, account, name, wait) = Arguments("NAME", "server group, e.g. demo-prod-v002");
        var command = new Command("destroy", "Disable, drain and remove a server group and its instances") { application, account, name, wait };
        cli.Handle(command, (context, cancellationToken) =>
            OperationRun.StartAsync(context, HttpMethod.Delete, Path(context, application, account, name), null, context.Value(wait), cancellationToken));
        return command;
    }

    private static Command Rollback(CliCommand cli)
    {
        var (application, account, cluster, wait) = Arguments("CLUSTER", "cluster, e.g. demo-prod");
        var command = new Command("rollback", "Roll a cluster back: enable its previous server group, disable the current one") { application, account, cluster, wait };
        cli.Handle(command, (context, cancellationToken) =>
        {
            var path = ApiPath.Of("applications", context.Value(application), "clusters", context.Value(account), context.Value(cluster), "rollback");
            return OperationRun.StartAsync(context, HttpMethod.Post, path, null, context.Value(wait), cancellationToken);
        });
        return command;
    }

    private static (Argument<string> Application, Argument<string> Account, Argument<string> Name, Option<bool> Wait) Arguments(string name, string description) => (
        new Argument<string>("APP") { Description = "application name" },
        new Argument<string>("ACCOUNT") { Description = "account, e.g. prod" },
        new Argument<string>(name) { Description = description },
        new Option<bool>("--wait") { Description = "follow the operation, print each stage status change, exit 0 only on SUCCEEDED" });

    private static string Path(CliContext context, Argument<string> application, Argument<string> account, Argument<string> name, params string[] more) =>
        ApiPath.Of([.. new[] { "applications", context.Value(application), "serverGroups", context.Value(account), context.Value(name) }, .. more]);
}

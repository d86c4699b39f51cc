using System.CommandLine;
using System.Text.Json.Nodes;
using Mizzen.Cli.Http;
using Mizzen.Cli.Output;
using Mizzen.Core.Json;

namespace Mizzen.Cli.Clusters;

/// <summary><c>mizzen cluster list APP</c> and <c>cluster get APP ACCOUNT CLUSTER</c>: clouddriver's cluster views through the API.</summary>
internal static class ClusterCommands
{
    public static Command Create(CliCommand cli) => CliCommand.Group("cluster", "Clusters: what is deployed where", List(cli), Get(cli));

    private static Command List(CliCommand cli)
    {
        var application = new Argument<string>("APP") { Description = "application name" };
        var command = new Command("list", "List an application's clusters per account") { application };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var answer = await context.Client.GetAsync(ApiPath.Of("applications", context.Value(application), "clusters"), cancellationToken);
            if (context.Json)
            {
                context.WriteJson(answer);
                return ExitCodes.Success;
            }

            var byAccount = Answers.Object(answer, "map of account to clusters");
            TableRenderer.Write(context.Out, ["account", "cluster"], byAccount
                .OrderBy(a => a.Key, StringComparer.Ordinal)
                .SelectMany(a => (a.Value as JsonArray ?? []).Select(c => new[] { a.Key, c.AsString() })));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Get(CliCommand cli)
    {
        var application = new Argument<string>("APP") { Description = "application name" };
        var account = new Argument<string>("ACCOUNT") { Description = "account, e.g. prod" };
        var cluster = new Argument<string>("CLUSTER") { Description = "cluster, e.g. demo-prod" };
        var command = new Command("get", "Show a cluster: its server groups (newest first) and load balancers") { application, account, cluster };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var path = ApiPath.Of("applications", context.Value(application), "clusters", context.Value(account), context.Value(cluster));
            var answer = await context.Client.GetAsync(path, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(answer);
                return ExitCodes.Success;
            }

            ClusterView.Write(context.Out, Answers.Object(answer, "cluster"), context.Clock);
            return ExitCodes.Success;
        });
        return command;
    }
}

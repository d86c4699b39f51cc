using System.CommandLine;
using Mizzen.Cli.Executions;
using Mizzen.Core.Json;

namespace Mizzen.Cli.Local;

/// <summary>
/// <c>mizzen local teardown ACCOUNT [--app APP] --yes</c>: destroys every server group and load balancer of a <c>local</c> account (or of
/// one application in it) through the server, so instances drain and stop and each removal is recorded as a run. Stopping the server
/// leaves instances running on purpose (the next start re-adopts them); this is how to remove them.
/// </summary>
internal static class LocalCommands
{
    public static Command Create(CliCommand cli) => CliCommand.Group("local", "The local deploy target: tear down an account's deployments", Teardown(cli));

    private static Command Teardown(CliCommand cli)
    {
        var account = new Argument<string>("ACCOUNT") { Description = "local account, e.g. prod" };
        var application = new Option<string>("--app") { Description = "only this application's server groups and load balancers", HelpName = "APP" };
        var yes = new Option<bool>("--yes") { Description = "really destroy them (without it, only list them)" };
        var command = new Command("teardown", "Destroy every server group and load balancer of a local account (instances drain and stop), through the server")
        {
            account, application, yes,
        };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var plan = await TeardownPlan.ReadAsync(context.Client, context.Value(account), context.Value(application), cancellationToken);
            var scope = context.Value(application) is { } app ? $"application {app} in account {plan.Account}" : $"account {plan.Account}";
            if (plan.IsEmpty)
            {
                context.Out.WriteLine($"{scope}: no server groups or load balancers");
                return ExitCodes.Success;
            }

            foreach (var part in plan.Applications)
            {
                context.Out.WriteLine(part.Describe());
            }

            if (!context.Value(yes))
            {
                throw CliException.Usage($"nothing destroyed: run again with --yes to destroy the above in {scope}");
            }

            var exit = ExitCodes.Success;
            foreach (var part in plan.Applications)
            {
                var answer = await context.Client.SendAsync(HttpMethod.Post, "tasks", part.Job(plan.Account), cancellationToken);
                var id = answer?["ref"].AsString()?.Split('/')[^1]
                         ?? throw new CliException($"the server started the teardown of {part.Application} but sent no task ref");
                context.Out.WriteLine($"{part.Application}: tearing down (execution {id})");
                if (await ExecutionWait.FollowAndReportAsync(context, id, cancellationToken) != ExitCodes.Success)
                {
                    exit = ExitCodes.Failed;
                }
            }

            return exit;
        });
        return command;
    }
}

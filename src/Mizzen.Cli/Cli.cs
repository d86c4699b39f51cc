using System.CommandLine;
using Mizzen.Cli.Admin;
using Mizzen.Cli.Applications;
using Mizzen.Cli.Auth;
using Mizzen.Cli.Canary;
using Mizzen.Cli.Clusters;
using Mizzen.Cli.Executions;
using Mizzen.Cli.Expressions;
using Mizzen.Cli.Instances;
using Mizzen.Cli.Local;
using Mizzen.Cli.Pipelines;
using Mizzen.Cli.ServerGroups;

namespace Mizzen.Cli;

/// <summary>The <c>mizzen</c> command line, runnable in-process: parse, run one command, return its exit code.</summary>
public static class Cli
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(args, stdout, stderr, CliSettings.Default, cancellationToken);

    internal static async Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, CliSettings settings, CancellationToken cancellationToken)
    {
        var root = BuildRoot(new CliCommand(new GlobalOptions(), settings, stdout, stderr));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var command = CommandPath(parse.CommandResult);
            stderr.WriteLine($"mizzen: {string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')))} (see `{command} --help`)");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    private static RootCommand BuildRoot(CliCommand cli)
    {
        var root = new RootCommand("Mizzen: continuous delivery (Spinnaker-compatible). Talks to the server at --server, $MIZZEN_URL or http://127.0.0.1:8084.")
        {
            HelpName = "mizzen",
        };
        cli.Globals.AddTo(root);
        root.Subcommands.Add(ServeCommand.Create(cli));
        root.Subcommands.Add(ApplicationCommands.Create(cli));
        root.Subcommands.Add(PipelineCommands.Create(cli));
        root.Subcommands.Add(ExecutionCommands.Create(cli));
        root.Subcommands.Add(ExpressionCommands.Create(cli));
        root.Subcommands.Add(CanaryCommands.Create(cli));
        root.Subcommands.Add(ClusterCommands.Create(cli));
        root.Subcommands.Add(ServerGroupCommands.Create(cli));
        root.Subcommands.Add(InstanceCommands.Create(cli));
        root.Subcommands.Add(LocalCommands.Create(cli));
        root.Subcommands.Add(AdminCommands.Create(cli));
        foreach (var command in AuthCommands.Create(cli))
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    /// <summary>"mizzen pipeline save" for the command the parser reached.</summary>
    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var current = result; current is not null; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, current.Command is RootCommand ? "mizzen" : current.Command.Name);
        }

        return string.Join(' ', names);
    }
}

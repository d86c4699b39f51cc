using System.CommandLine;

namespace Mizzen.Cli;

/// <summary>What every command action shares: a <see cref="CliContext"/> per run, and errors turned into exit codes.</summary>
internal sealed class CliCommand(GlobalOptions globals, CliSettings settings, TextWriter stdout, TextWriter stderr)
{
    public GlobalOptions Globals { get; } = globals;

    /// <summary>Sets <paramref name="command"/>'s action; a <see cref="CliException"/> becomes its message on stderr and its exit code.</summary>
    public void Handle(Command command, Func<CliContext, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var context = new CliContext(parse, Globals, settings, stdout, stderr);
            try
            {
                return await action(context, cancellationToken);
            }
            catch (CliException e)
            {
                e.WriteTo(stderr);
                return e.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                stderr.WriteLine("mizzen: interrupted");
                return ExitCodes.Interrupted;
            }
        });

    /// <summary>A command group: shows usage (exit 2) when no sub-command is given.</summary>
    public static Command Group(string name, string description, params Command[] subcommands)
    {
        var group = new Command(name, description);
        foreach (var subcommand in subcommands)
        {
            group.Subcommands.Add(subcommand);
        }

        return group;
    }
}

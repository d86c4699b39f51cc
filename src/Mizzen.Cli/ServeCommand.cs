using System.CommandLine;

namespace Mizzen.Cli;

/// <summary>
/// <c>serve</c> is run by the <c>./mizzen</c> launcher (it starts Mizzen.Server); listed here so help shows it,
/// and so calling the CLI binary directly with it says where to go.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliCommand cli)
    {
        var command = new Command("serve", "Run the Mizzen server in the foreground: ./mizzen serve [--port 8084] [--data DIR] [--bind 127.0.0.1] [--demo] [--insecure-no-auth]")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        cli.Handle(command, (_, _) => throw CliException.Usage("`serve` starts the server: run it through the launcher, `./mizzen serve`"));
        return command;
    }
}

using System.CommandLine;
using Mizzen.Cli.Output;

namespace Mizzen.Cli;

/// <summary>Options every command accepts (<see cref="Option.Recursive"/>): where the server is, how to print, who is asking.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Server { get; } = new("--server")
    {
        Description = $"Mizzen API URL (default: ${CliSettings.ServerVariable} or {CliSettings.DefaultServer})",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        Description = "table (readable, the default) or json (what the server returned, for scripts)",
        HelpName = "table|json",
        Recursive = true,
        CustomParser = OutputFormats.Parse,
    };

    public Option<string?> User { get; } = new("--user")
    {
        Description = "user name sent as X-Mizzen-User",
        HelpName = "NAME",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Server);
        root.Options.Add(Output);
        root.Options.Add(User);
    }
}

namespace Mizzen.Cli;

/// <summary>
/// A failure the CLI reports as <c>mizzen: message</c> on stderr, each of <see cref="Details"/> on a further line
/// indented by two spaces, and <see cref="ExitCode"/>.
/// </summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Failed, IReadOnlyList<string>? details = null)
    : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public IReadOnlyList<string> Details { get; } = details ?? [];

    public static CliException Usage(string message) => new(message, ExitCodes.Usage);

    public static CliException Unreachable(Uri server) =>
        new($"cannot reach Mizzen at {server.AbsoluteUri.TrimEnd('/')} — is `./mizzen serve` running?", ExitCodes.Unreachable);

    public void WriteTo(TextWriter stderr)
    {
        stderr.WriteLine($"mizzen: {Message}");
        foreach (var detail in Details)
        {
            stderr.WriteLine($"  {detail}");
        }
    }
}

namespace Mizzen.Cli;

/// <summary>What the <c>mizzen</c> process returns: scripts branch on these.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The server (or an offline check) reported a problem, or a followed run did not succeed.</summary>
    public const int Failed = 1;

    /// <summary>The command line or a file given on it is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached (or stopped answering).</summary>
    public const int Unreachable = 3;

    /// <summary>Interrupted with Ctrl+C.</summary>
    public const int Interrupted = 130;
}

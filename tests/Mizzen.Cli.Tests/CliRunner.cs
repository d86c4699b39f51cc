using Mizzen.Cli.Tests.Fakes;

namespace Mizzen.Cli.Tests;

/// <summary>What one in-process run of the CLI printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string[] OutLines => Out.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

    public string[] ErrorLines => Error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";
}

/// <summary>Runs <see cref="Cli.RunAsync(string[], TextWriter, TextWriter, CancellationToken)"/> in-process against a server URL.</summary>
internal static class CliRunner
{
    public static Task<CliResult> RunAsync(FakeGateServer server, params string[] args) =>
        RunAsync(Settings(), [.. args, "--server", server.Url]);

    public static async Task<CliResult> RunAsync(CliSettings settings, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exitCode = await Cli.RunAsync(args, stdout, stderr, settings, timeout.Token);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Offline commands: no server.</summary>
    public static Task<CliResult> RunOfflineAsync(params string[] args) => RunAsync(Settings(), args);

    internal static CliSettings Settings(AutoAdvancingClock? clock = null) => new()
    {
        Clock = clock ?? new AutoAdvancingClock(),
        GetEnvironmentVariable = _ => null,
        RequestTimeout = TimeSpan.FromSeconds(20),
    };
}

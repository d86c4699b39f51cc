namespace Mizzen.Cli;

/// <summary>What the CLI takes from its surroundings; tests replace the clock, the environment and the HTTP handler.</summary>
internal sealed record CliSettings
{
    public const string DefaultServer = "http://127.0.0.1:8084";
    public const string ServerVariable = "MIZZEN_URL";

    public const string TokenVariable = "MIZZEN_TOKEN";
    public const string ConfigVariable = "MIZZEN_CONFIG";

    public static CliSettings Default { get; } = new();

    /// <summary>Asks for a secret (the password) without echoing it; null when there is nothing to read.</summary>
    public Func<string, string?> ReadSecret { get; init; } = Auth.ConsoleSecret.Read;

    /// <summary>
    /// Where <c>mizzen login</c> keeps its tokens: <c>$MIZZEN_CONFIG</c>, else <c>$XDG_CONFIG_HOME/mizzen/config.json</c>, else
    /// <c>~/.config/mizzen/config.json</c>.
    /// </summary>
    public string ConfigFile() =>
        GetEnvironmentVariable(ConfigVariable) is { Length: > 0 } file ? file
        : Path.Combine(GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"), "mizzen", "config.json");

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>How long one plain request may take; streams are not limited.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How often <c>--wait</c> polls when the server has no event stream.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Wait before reconnecting to a dropped event stream; doubled per failed attempt, up to 8 times this.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Connection attempts in a row that may fail before <c>--wait</c> gives up.</summary>
    public int MaxReconnectAttempts { get; init; } = 10;

    /// <summary>Replaces the socket handler (tests); null uses a normal <see cref="SocketsHttpHandler"/>.</summary>
    public Func<HttpMessageHandler>? CreateHandler { get; init; }
}

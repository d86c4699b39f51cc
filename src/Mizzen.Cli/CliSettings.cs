namespace Mizzen.Cli;

/// <summary>What the CLI takes from its surroundings; tests replace the clock, the environment and the HTTP handler.</summary>
internal sealed record CliSettings
{
    public const string DefaultServer = "http://127.0.0.1:8084";
    public const string ServerVariable = "MIZZEN_URL";

    public static CliSettings Default { get; } = new();

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

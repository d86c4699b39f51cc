using System.CommandLine;
using System.Text.Json.Nodes;
using Mizzen.Cli.Http;
using Mizzen.Cli.Output;
using Mizzen.Core.Json;

namespace Mizzen.Cli;

/// <summary>One invocation: the parsed command line, where to write, and (created on first use) the API client.</summary>
internal sealed class CliContext(ParseResult parse, GlobalOptions globals, CliSettings settings, TextWriter stdout, TextWriter stderr)
    : IDisposable
{
    private MizzenClient? client;

    public ParseResult Parse { get; } = parse;

    public CliSettings Settings { get; } = settings;

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public TimeProvider Clock => Settings.Clock;

    public OutputFormat Format => Parse.GetValue(globals.Output);

    public bool Json => Format == OutputFormat.Json;

    public MizzenClient Client => client ??= new MizzenClient(ServerUri(), Parse.GetValue(globals.User), Settings, Token());

    /// <summary>The stored credentials (<c>mizzen login</c>), from <see cref="CliSettings.ConfigFile"/>.</summary>
    public Auth.CliCredentials Credentials => Auth.CliCredentials.Load(Settings.ConfigFile());

    /// <summary>A client that sends <paramref name="token"/> (or none) instead of the stored one.</summary>
    public MizzenClient ClientWith(string? token) => new(ServerUri(), Parse.GetValue(globals.User), Settings, token);

    /// <summary><c>$MIZZEN_TOKEN</c>, else the token stored for this server.</summary>
    private string? Token() =>
        Settings.GetEnvironmentVariable(CliSettings.TokenVariable) is { Length: > 0 } token ? token : Credentials.TokenFor(ServerUri());

    public T? Value<T>(Option<T> option) => Parse.GetValue(option);

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public void WriteJson(JsonNode? node) => Out.WriteLine(node?.ToJsonString(MizzenJson.Indented) ?? "null");

    public void Dispose() => client?.Dispose();

    public Uri ServerUri()
    {
        var text = Parse.GetValue(globals.Server);
        if (string.IsNullOrWhiteSpace(text))
        {
            text = Settings.GetEnvironmentVariable(CliSettings.ServerVariable);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            text = CliSettings.DefaultServer;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw CliException.Usage($"'{text}' is not an http(s) URL (from --server or ${CliSettings.ServerVariable})");
        }

        return uri;
    }
}

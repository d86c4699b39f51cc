using System.Net;
using System.Net.Sockets;

namespace Mizzen.Core.Net;

/// <summary>
/// One entry of an operator's URL allow-list, compared part by part with a request's URL, never as a string prefix:
/// <list type="bullet">
/// <item><c>https://ci.example.com/hooks</c>: that scheme, host and port (443 here), and paths whose first segments are
/// <c>hooks</c> (<c>/hooks</c>, <c>/hooks/x</c>; not <c>/hooksx</c>).</item>
/// <item><c>config.internal</c> or <c>config.internal:8080</c>: that host over http or https, on any port or on that one.</item>
/// </list>
/// A URL's user info (<c>user@</c>) never counts: <c>http://127.0.0.1:29712@127.0.0.1:29711/</c> is judged as host
/// 127.0.0.1, port 29711. Host names compare without case, paths with case.
/// </summary>
public sealed class AllowedUrl
{
    private readonly string? scheme;
    private readonly string host;
    private readonly int? port;
    private readonly IReadOnlyList<string> segments;

    private AllowedUrl(string text, string? scheme, string host, int? port, IReadOnlyList<string> segments)
    {
        Text = text;
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.segments = segments;
    }

    /// <summary>The entry as it was configured.</summary>
    public string Text { get; }

    /// <summary>Parses an entry; a <see cref="FormatException"/> says what is wrong with it.</summary>
    public static AllowedUrl Parse(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = entry.Trim();
        var bare = !text.Contains("://", StringComparison.Ordinal);
        if (bare && !text.StartsWith('[') && IPAddress.TryParse(text, out var literal) && literal.AddressFamily == AddressFamily.InterNetworkV6)
        {
            text = "[" + text + "]"; // a bare IPv6 address, e.g. ::1
        }

        if (!Uri.TryCreate(bare ? "http://" + text : text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new FormatException($"'{entry}' is neither a host name nor an absolute http(s) URL");
        }

        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0 || (bare && uri.AbsolutePath != "/"))
        {
            throw new FormatException($"'{entry}' may not have user info, a query or a fragment (a host name has no path either)");
        }

        if (!UrlParts.TryParse(uri, out var parts, out var error))
        {
            throw new FormatException($"'{entry}': {error}");
        }

        int? explicitPort = !bare || HasExplicitPort(text) ? uri.Port : null;
        return new AllowedUrl(entry, bare ? null : parts!.Scheme, parts!.Host, explicitPort, parts.Segments);
    }

    /// <summary>Whether this entry allows <paramref name="url"/> (an absolute http(s) URL).</summary>
    public bool Allows(UrlParts url) =>
        (scheme is null || url.Scheme == scheme)
        && url.Host == host
        && (port is null || url.Port == port)
        && url.PathStartsWith(segments);

    public override string ToString() => Text;

    private static bool HasExplicitPort(string bareEntry)
    {
        // "host:80" names port 80 even though it is http's default; "[::1]" has colons but no port.
        var colon = bareEntry.LastIndexOf(':');
        return colon > bareEntry.LastIndexOf(']') && colon < bareEntry.Length - 1;
    }
}

namespace Mizzen.Expressions;

/// <summary>Bounds and URL policy of the expression language. Every default is safe for a shared server.</summary>
public sealed class ExpressionOptions
{
    /// <summary>The server binds these settings from this configuration section (e.g. <c>Mizzen:Expressions:Url:AllowedHosts</c>).</summary>
    public const string SectionName = "Mizzen:Expressions";

    /// <summary>Longest expression accepted (Spring's default: 10 000 characters).</summary>
    public int MaxExpressionLength { get; set; } = 10_000;

    /// <summary>Deepest nesting of brackets, calls and operators in one expression.</summary>
    public int MaxNestingDepth { get; set; } = 100;

    /// <summary>Most evaluation steps (AST nodes visited, collection elements filtered) for one expression.</summary>
    public int MaxEvaluationSteps { get; set; } = 200_000;

    /// <summary>Longest one expression may run (URL fetches have their own timeout).</summary>
    public TimeSpan MaxEvaluationTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest string an expression may produce (concatenation, replace, toJson ...), in characters.</summary>
    public int MaxResultLength { get; set; } = 1_000_000;

    /// <summary>Most elements a list or map built by an expression may hold.</summary>
    public int MaxCollectionSize { get; set; } = 100_000;

    /// <summary>
    /// Most memory one evaluation may build, in bytes (an estimate: 2 bytes a character plus a fixed cost per string,
    /// list element, map entry and JSON node). Counts every string built by concatenation, <c>repeat</c>,
    /// <c>replace</c>, <c>toString</c> or <c>#toJson</c>, every list or map built by literals, projections,
    /// selections and <c>keySet</c>-like methods, every document the parsers build, and the final result.
    /// </summary>
    public long MaxEvaluationBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Bounds of what <c>#readJson</c>, <c>#readYaml</c>, <c>#readAllYaml</c> and the <c>*FromUrl</c> helpers may build.</summary>
    public DocumentLimits Documents { get; set; } = new();

    /// <summary>How many parsed expressions are kept (the cache is emptied when it is full).</summary>
    public int ParsedExpressionCacheSize { get; set; } = 10_000;

    /// <summary>Time limit for one regular expression match (<c>matches</c>, <c>replaceAll</c>, <c>split</c>).</summary>
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Settings of <c>#fromUrl</c>, <c>#jsonFromUrl</c>, <c>#yamlFromUrl</c> and <c>#propertiesFromUrl</c>.</summary>
    public UrlFetchOptions Url { get; set; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxExpressionLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxNestingDepth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEvaluationSteps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxResultLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCollectionSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ParsedExpressionCacheSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxEvaluationTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEvaluationBytes, 1024);
        Documents.Validate();
        _ = new Mizzen.Core.Net.UrlAllowList(Url.AllowedHosts, Safety.UrlRestrictions.AllowedHostsSetting); // a bad entry is refused here, naming the setting
    }
}

/// <summary>
/// The URL helpers fetch only http(s), never loopback, link-local, private-network-metadata or unspecified addresses
/// (checked on every resolved IP address at connect time), unless the host is listed in <see cref="AllowedHosts"/>.
/// </summary>
public sealed class UrlFetchOptions
{
    /// <summary>Whether the URL helpers may fetch at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// What the operator trusts even when it resolves to a restricted address: a host (<c>config.internal</c>, an IP
    /// literal), a host and port (<c>config.internal:8080</c>), or a URL (<c>http://config.internal:8080/api</c>: that
    /// scheme, host, port and the paths whose leading segments are <c>api</c>). Compared with the parsed URL, never as
    /// a string prefix (see <see cref="Mizzen.Core.Net.AllowedUrl"/>); a URL with user info is always refused.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Also refuse RFC 1918 / unique-local private networks (off by default: Orca allows them).</summary>
    public bool RejectPrivateNetworks { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest response body read, in bytes.</summary>
    public int MaxResponseBytes { get; set; } = 1_048_576;

    public int MaxRedirects { get; set; } = 3;
}

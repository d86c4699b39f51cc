namespace Mizzen.Server.Security;

/// <summary>
/// <c>Mizzen:AllowedHosts</c>: the names a request's <c>Host</c> header (and a browser's <c>Origin</c>) may carry, besides the loopback
/// names and the address the server is bound to, which are always allowed. <c>"*"</c> allows any host (behind a proxy that checks it).
/// </summary>
public sealed class RequestOriginOptions
{
    public const string SectionName = "Mizzen";

    public IList<string> AllowedHosts { get; } = [];
}

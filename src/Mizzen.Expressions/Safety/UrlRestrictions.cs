using System.Net;
using System.Net.Sockets;
using Mizzen.Core.Net;

namespace Mizzen.Expressions.Safety;

/// <summary>
/// Which addresses the URL helpers may reach: http(s) only, never loopback, link-local (cloud metadata
/// 169.254.169.254 and fd00:ec2::254 included), unspecified, multicast or broadcast addresses, unless the URL is
/// under an entry of <see cref="UrlFetchOptions.AllowedHosts"/> (compared by parsed host, port and path segments:
/// <see cref="UrlAllowList"/>).
/// Public so every outbound fetch of a user-supplied URL (the expression helpers, artifact fetching) applies the one policy:
/// <see cref="CheckUrl"/> before the request, <see cref="ConnectAsync"/> as the handler's connect callback, so addresses are
/// checked after DNS resolution (no DNS rebinding past a name check).
/// </summary>
public sealed class UrlRestrictions(UrlFetchOptions options)
{
    public const string AllowedHostsSetting = "Mizzen:Expressions:Url:AllowedHosts";

    private readonly UrlAllowList trusted = new(options.AllowedHosts, AllowedHostsSetting);

    /// <summary>Whether the operator trusts this URL, so it may reach a restricted address.</summary>
    public bool IsTrusted(Uri url) => !trusted.IsEmpty && trusted.Allows(url);

    /// <summary>Checks what can be checked before resolving: enabled, scheme, host names that are always local.</summary>
    public Uri CheckUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new ExpressionFunctionException($"'{url}' is not an absolute URL");
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            throw new ExpressionFunctionException($"URL scheme '{uri.Scheme}' is not allowed; only http and https");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new ExpressionFunctionException("URLs with credentials (user:password@) are not allowed");
        }

        if (IsTrusted(uri))
        {
            return uri;
        }

        var host = uri.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || host.Equals("metadata.google.internal", StringComparison.OrdinalIgnoreCase))
        {
            throw new ExpressionFunctionException($"host '{host}' is not allowed (local or metadata address)");
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            CheckAddress(host, literal);
        }

        return uri;
    }

    /// <summary>Refuses a restricted address; called on every address a host resolves to, at connect time, for URLs that are not trusted.</summary>
    public void CheckAddress(string host, IPAddress address)
    {
        if (IsRestricted(address))
        {
            throw new ExpressionFunctionException(
                $"host '{host}' resolves to {address}, a loopback, link-local, metadata or otherwise local address; " +
                $"an operator can allow it with {AllowedHostsSetting}");
        }
    }

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/> that resolves the host, refuses it when any address is restricted
    /// (<see cref="CheckAddress"/>), then connects. Use it on a client that only carries untrusted URLs.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new ExpressionFunctionException($"host '{host}' does not resolve");
        }

        foreach (var address in addresses)
        {
            CheckAddress(host, address);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private bool IsRestricted(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || address.Equals(IPAddress.Broadcast) || address.IsIPv6LinkLocal || address.IsIPv6Multicast || address.IsIPv6SiteLocal)
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 0 || b[0] == 127 || (b[0] == 169 && b[1] == 254) || b[0] >= 224
                   || (b[0] == 100 && b[1] == 100 && b[2] == 100 && b[3] == 200)
                   || (options.RejectPrivateNetworks && (b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168)));
        }

        var bytes = address.GetAddressBytes();
        var isUniqueLocal = (bytes[0] & 0xFE) == 0xFC;
        var isEc2Metadata = bytes[0] == 0xFD && bytes[1] == 0x00 && bytes[2] == 0x0E && bytes[3] == 0xC2;
        return isEc2Metadata || (options.RejectPrivateNetworks && isUniqueLocal);
    }
}

using System.Net;
using System.Net.Sockets;

namespace Mizzen.Orchestration.Stages.Webhook;

/// <summary>
/// The webhook client's connect step: resolves the host, refuses link-local and metadata addresses (where a cloud
/// host's credentials live), then connects to the first allowed address. Runs for every connection, so a name that
/// resolves differently later is checked again.
/// </summary>
internal static class WebhookAddressGuard
{
    private static readonly IPAddress AwsIpv6Metadata = IPAddress.Parse("fd00:ec2::254");

    public static bool IsBlocked(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetwork
            ? address.GetAddressBytes() is [169, 254, ..]
            : address.IsIPv6LinkLocal || address.Equals(AwsIpv6Metadata);
    }

    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => !IsBlocked(a)).ToList();
        if (allowed.Count == 0)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError,
                $"'{host}' resolves to a link-local or cloud metadata address, which webhooks may not call (Mizzen:Webhook:BlockLinkLocal)");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.ToArray(), context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

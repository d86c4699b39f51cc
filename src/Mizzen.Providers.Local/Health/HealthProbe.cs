using System.Net;
using System.Net.Sockets;

namespace Mizzen.Providers.Local.Health;

/// <summary>Runs one health check against an instance on 127.0.0.1: an HTTP GET answering 2xx/3xx, or a TCP connect.</summary>
internal sealed class HealthProbe(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "Mizzen.Providers.Local.Health";

    public async Task<bool> CheckAsync(HealthCheckSpec spec, int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(spec.Timeout);
        try
        {
            switch (spec.Type)
            {
                case HealthCheckType.Http:
                    var path = spec.Path.StartsWith('/') ? spec.Path : "/" + spec.Path;
                    using (var response = await httpClients.CreateClient(HttpClientName)
                        .GetAsync(new Uri($"http://127.0.0.1:{port}{path}"), HttpCompletionOption.ResponseHeadersRead, timeout.Token))
                    {
                        return (int)response.StatusCode is >= 200 and < 400;
                    }

                case HealthCheckType.Tcp:
                    using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
                    {
                        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
                        return true;
                    }

                default:
                    return true;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Mizzen.Providers.Local.LoadBalancing;

/// <summary>
/// Forwards with YARP's <see cref="IHttpForwarder"/> (direct forwarding: the destination comes from Mizzen's router, not from YARP's
/// routes and clusters). YARP brings what a reverse proxy has to get right: WebSocket and other HTTP/1.1 upgrades, connection-level
/// headers handled per hop, trailers (over HTTP/2), X-Forwarded-* and an idle timeout.
/// One connection pool serves every load balancer of the process.
/// </summary>
internal sealed class YarpRequestForwarder(IHttpForwarder forwarder) : IRequestForwarder, IDisposable
{
    /// <summary>Instances listen on plain HTTP/1.1; an upgraded or streaming request idle this long is cut (YARP's default).</summary>
    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        ActivityTimeout = TimeSpan.FromSeconds(100),
    };

    private readonly HttpMessageInvoker client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
    });

    public async Task<ForwardOutcome> ForwardAsync(HttpContext context, Uri destination, CancellationToken cancellationToken)
    {
        var error = await forwarder.SendAsync(context, destination.OriginalString, client, RequestConfig, HttpTransformer.Default, cancellationToken);
        if (error == ForwarderError.None)
        {
            return ForwardOutcome.Forwarded;
        }

        if (error == ForwarderError.Request && !context.Response.HasStarted && IsConnectFailure(context.GetForwarderErrorFeature()?.Exception))
        {
            // YARP has set 502 and its error feature; undo both so the request can be sent to another instance as if untried.
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
            return ForwardOutcome.ConnectFailed;
        }

        return ForwardOutcome.Failed;
    }

    private static bool IsConnectFailure(Exception? exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    public void Dispose() => client.Dispose();
}

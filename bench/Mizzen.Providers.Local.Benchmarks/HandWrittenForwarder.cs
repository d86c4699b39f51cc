using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Mizzen.Providers.Local.LoadBalancing;

namespace Mizzen.Providers.Local.Benchmarks;

/// <summary>
/// The baseline: the hand-written forwarder the provider used before YARP (SocketsHttpHandler, a fixed hop-by-hop list, no upgrades,
/// no trailers), kept here only so the benchmark can measure it against YARP and nginx in the same run. The provider does not use it.
/// </summary>
internal sealed class HandWrittenForwarder : IRequestForwarder, IDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    };

    private readonly HttpMessageInvoker client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        EnableMultipleHttp2Connections = true,
    });

    public async Task<ForwardOutcome> ForwardAsync(HttpContext context, Uri destination, CancellationToken cancellationToken)
    {
        using var request = BuildRequest(context, destination);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            return ForwardOutcome.ConnectFailed;
        }
        catch (HttpRequestException)
        {
            return ForwardOutcome.Failed;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            CopyResponseHeaders(response, context.Response);
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await body.CopyToAsync(context.Response.Body, cancellationToken);
            return ForwardOutcome.Forwarded;
        }
    }

    private static HttpRequestMessage BuildRequest(HttpContext context, Uri destination)
    {
        var incoming = context.Request;
        var message = new HttpRequestMessage(new HttpMethod(incoming.Method), new Uri(destination, incoming.Path.ToUriComponent() + incoming.QueryString.ToUriComponent()))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (incoming.ContentLength > 0 || incoming.Headers.TransferEncoding.Count > 0)
        {
            message.Content = new StreamContent(incoming.Body);
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (HopByHop.Contains(name) || string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        message.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
        message.Headers.TryAddWithoutValidation("X-Forwarded-Proto", incoming.Scheme);
        message.Headers.TryAddWithoutValidation("X-Forwarded-Host", incoming.Host.Value);
        return message;
    }

    private static void CopyResponseHeaders(HttpResponseMessage response, HttpResponse target)
    {
        foreach (var (name, values) in response.Headers)
        {
            if (!HopByHop.Contains(name))
            {
                target.Headers[name] = values.ToArray();
            }
        }

        foreach (var (name, values) in response.Content.Headers)
        {
            target.Headers[name] = values.ToArray();
        }
    }

    public void Dispose() => client.Dispose();
}

using System.Net;
using System.Text;

namespace Mizzen.Expressions.Safety;

/// <summary>
/// The only HTTP client of the expression language. Addresses are checked when the connection is made (after DNS
/// resolution, so a name that resolves to 127.0.0.1 or 169.254.169.254 is refused, and DNS rebinding cannot slip past a
/// name check). No cookies, no credentials, no proxy; bounded redirects, time and body size.
/// URLs the operator trusts (<see cref="UrlFetchOptions.AllowedHosts"/>) go through a second client whose connections
/// are never shared with the checked one: an entry like <c>http://config.internal/api</c> trusts that path only, and a
/// pooled connection opened for it cannot carry a request for another path on the same host.
/// </summary>
internal sealed class RestrictedUrlFetcher : IDisposable
{
    private readonly UrlFetchOptions options;
    private readonly UrlRestrictions restrictions;
    private readonly TimeProvider clock;
    private readonly HttpClient checkedClient;
    private readonly HttpClient trustedClient;

    public RestrictedUrlFetcher(UrlFetchOptions options, TimeProvider clock)
    {
        this.options = options;
        this.clock = clock;
        restrictions = new UrlRestrictions(options);
        checkedClient = new HttpClient(Handler(restrictions.ConnectAsync)) { Timeout = Timeout.InfiniteTimeSpan };
        trustedClient = new HttpClient(Handler(connect: null)) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static SocketsHttpHandler Handler(Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect) => new()
    {
        UseCookies = false,
        UseProxy = false,
        Credentials = null,
        PreAuthenticate = false,
        AllowAutoRedirect = false, // followed in FetchAsync, so every target passes the same URL checks (scheme included)
        ConnectCallback = connect,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    };

    public string Fetch(string url)
    {
        if (!options.Enabled)
        {
            throw new ExpressionFunctionException("URL functions are disabled by configuration (Mizzen:Expressions:Url:Enabled)");
        }

        var uri = restrictions.CheckUrl(url);
        using var timeout = new CancellationTokenSource(options.Timeout, clock);
        try
        {
            return FetchAsync(uri, timeout.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new ExpressionFunctionException($"#fromUrl({url}) failed: no response within {options.Timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e) when (e.InnerException is ExpressionFunctionException refused)
        {
            throw new ExpressionFunctionException($"#fromUrl({url}) failed: {refused.Message}");
        }
        catch (HttpRequestException e)
        {
            throw new ExpressionFunctionException($"#fromUrl({url}) failed: {e.Message}", e);
        }
    }

    private async Task<string> FetchAsync(Uri uri, CancellationToken cancellationToken)
    {
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.UserAgent.ParseAdd("Mizzen-Expressions/1.0");
            var client = restrictions.IsTrusted(uri) ? trustedClient : checkedClient;
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode is not (HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
                    or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect) || response.Headers.Location is not { } location)
            {
                return await ReadAsync(uri, response, cancellationToken);
            }

            if (redirects >= options.MaxRedirects)
            {
                throw new ExpressionFunctionException($"#fromUrl({uri}) failed: more than {options.MaxRedirects} redirects (Mizzen:Expressions:Url:MaxRedirects)");
            }

            uri = restrictions.CheckUrl(new Uri(uri, location).AbsoluteUri);
        }
    }

    private async Task<string> ReadAsync(Uri uri, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new ExpressionFunctionException($"#fromUrl({uri}) failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        if (response.Content.Headers.ContentLength > options.MaxResponseBytes)
        {
            throw TooLarge(uri);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > options.MaxResponseBytes)
            {
                throw TooLarge(uri);
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private ExpressionFunctionException TooLarge(Uri uri) =>
        new($"#fromUrl({uri}) failed: the response is larger than {options.MaxResponseBytes} bytes (Mizzen:Expressions:Url:MaxResponseBytes)");

    public void Dispose()
    {
        checkedClient.Dispose();
        trustedClient.Dispose();
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Expressions;
using Mizzen.Expressions.Safety;

namespace Mizzen.Orchestration.Artifacts;

/// <summary>
/// HTTP fetches of <c>http/file</c>, <c>github/file</c> and <c>gitlab/file</c> artifacts. A URL under the account's <c>baseUrl</c> is
/// trusted (the operator configured it); any other URL passes the expression helpers' <see cref="UrlRestrictions"/> (same settings:
/// <c>Mizzen:Expressions:Url:AllowedHosts</c>, <c>RejectPrivateNetworks</c>), with every resolved address checked at connect time.
/// Trusted and checked URLs use separate clients, so a pooled connection opened for one never carries the other. Redirects are
/// followed by hand: each target is checked again, and credentials go only to the first request's origin.
/// </summary>
public sealed class ArtifactHttp : IDisposable
{
    private readonly ArtifactOptions options;
    private readonly UrlRestrictions restrictions;
    private readonly TimeProvider clock;
    private readonly HttpClient checkedClient;
    private readonly HttpClient trustedClient;

    public ArtifactHttp(IOptions<ArtifactOptions> options, IOptions<ExpressionOptions> expressionOptions, TimeProvider clock)
    {
        this.options = options.Value;
        this.clock = clock;
        restrictions = new UrlRestrictions(expressionOptions.Value.Url);
        checkedClient = new HttpClient(Handler(restrictions.ConnectAsync)) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        trustedClient = new HttpClient(Handler(connect: null)) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    private static SocketsHttpHandler Handler(Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect) => new()
    {
        UseCookies = false,
        UseProxy = false,
        Credentials = null,
        PreAuthenticate = false,
        AllowAutoRedirect = false,
        ConnectCallback = connect,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    };

    public async Task<FetchedArtifact> FetchAsync(string type, string reference, string? version, ArtifactAccount account, string what, CancellationToken cancellationToken)
    {
        var first = Check(WithRef(type, reference, version), account, what);
        using var timeout = new CancellationTokenSource(options.Timeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var uri = first;
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.UserAgent.ParseAdd("Mizzen-Artifacts/1.0");
                if (SameOrigin(uri, first))
                {
                    Authenticate(request, type, account);
                }

                var client = IsTrusted(uri, account) ? trustedClient : checkedClient;
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
                if (response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
                        or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect
                    && response.Headers.Location is { } location)
                {
                    if (redirects >= options.MaxRedirects)
                    {
                        throw new ArtifactException($"{what}: more than {options.MaxRedirects} redirects ({ArtifactOptions.SectionName}:MaxRedirects)", ErrorKind.Upstream);
                    }

                    uri = Check(new Uri(uri, location).AbsoluteUri, account, what, redirect: true);
                    continue;
                }

                return await ReadAsync(response, what, linked.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ArtifactException($"{what}: no answer within {options.Timeout.TotalSeconds:0.###} s ({ArtifactOptions.SectionName}:Timeout)", ErrorKind.Upstream, transient: true);
        }
        catch (HttpRequestException e) when (e.InnerException is ExpressionFunctionException refused)
        {
            throw new ArtifactException($"{what}: refused: {refused.Message}");
        }
        catch (HttpRequestException e)
        {
            throw new ArtifactException($"{what}: the request failed: {e.Message}", ErrorKind.Upstream, transient: true);
        }
    }

    /// <summary>GitHub and GitLab take the version as the <c>ref</c> query parameter (unless the reference already has one).</summary>
    private static string WithRef(string type, string reference, string? version)
    {
        if (type == ArtifactTypes.HttpFile || string.IsNullOrEmpty(version) || reference.Contains("?ref=", StringComparison.Ordinal) || reference.Contains("&ref=", StringComparison.Ordinal))
        {
            return reference;
        }

        return reference + (reference.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "ref=" + Uri.EscapeDataString(version);
    }

    private Uri Check(string url, ArtifactAccount account, string what, bool redirect = false)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArtifactException($"{what}: its reference must be an absolute http or https URL");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw new ArtifactException($"{what}: URLs with credentials (user:password@) are not allowed: put credentials in an artifact account");
        }

        if (!redirect && account.BaseUri is { } baseUri && !account.Covers(uri))
        {
            throw new ArtifactException($"{what}: its reference is not under the baseUrl of artifact account '{account.Name}' ({baseUri})");
        }

        if (IsTrusted(uri, account))
        {
            return uri;
        }

        try
        {
            return restrictions.CheckUrl(uri.AbsoluteUri);
        }
        catch (ExpressionFunctionException refused)
        {
            throw new ArtifactException($"{what}: refused: {refused.Message}");
        }
    }

    private bool IsTrusted(Uri uri, ArtifactAccount account) => account.Covers(uri) || restrictions.IsTrusted(uri);

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static void Authenticate(HttpRequestMessage request, string type, ArtifactAccount account)
    {
        var token = account.Token();
        var settings = account.Options;
        switch (type)
        {
            case ArtifactTypes.GitHubFile:
                request.Headers.Accept.ParseAdd("application/vnd.github.v3.raw");
                if (token is not null)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", "token " + token);
                }

                break;
            case ArtifactTypes.GitLabFile:
                if (token is not null)
                {
                    request.Headers.TryAddWithoutValidation("PRIVATE-TOKEN", token);
                }

                break;
            default:
                if (!string.IsNullOrEmpty(settings.Username))
                {
                    var secret = settings.Password ?? token ?? "";
                    request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.Username}:{secret}")));
                }
                else if (token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                break;
        }
    }

    private async Task<FetchedArtifact> ReadAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            var (kind, hint) = status switch
            {
                404 => (ErrorKind.NotFound, " (no such file, or the account may not see it)"),
                401 or 403 => (ErrorKind.Upstream, " (the account's credentials were refused or are missing)"),
                _ => (ErrorKind.Upstream, ""),
            };
            throw new ArtifactException($"{what}: the server answered {status} {response.ReasonPhrase}{hint}", kind, transient: status >= 500);
        }

        if (response.Content.Headers.ContentLength > options.MaxBytes)
        {
            throw TooLarge(what);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > options.MaxBytes)
            {
                throw TooLarge(what);
            }

            buffer.Write(chunk, 0, read);
        }

        return new FetchedArtifact(buffer.ToArray(), response.Content.Headers.ContentType?.MediaType);
    }

    private ArtifactException TooLarge(string what) =>
        new($"{what}: its content is larger than {options.MaxBytes} bytes ({ArtifactOptions.SectionName}:MaxBytes)");

    public void Dispose()
    {
        checkedClient.Dispose();
        trustedClient.Dispose();
    }
}

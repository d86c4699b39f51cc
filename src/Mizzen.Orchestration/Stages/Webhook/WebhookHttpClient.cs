using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Core.Json;
using Mizzen.Core.Net;
using Mizzen.Core.Secrets;

namespace Mizzen.Orchestration.Stages.Webhook;

/// <summary>
/// Sends webhook requests through the named <see cref="HttpClient"/> <c>"webhook"</c>. Custom header values go on the
/// request and nowhere else: they are not logged, not returned, not stored. <c>${secret:name}</c> references in header values
/// and the payload are resolved here, just before sending, and the values used are scrubbed from the response before anyone
/// keeps it. Redirects are not followed, so a <c>Location</c> can serve as the status URL.
/// </summary>
public sealed partial class WebhookHttpClient(IHttpClientFactory clients, ILogger<WebhookHttpClient> logger, IOptions<WebhookOptions> options, ISecretStore? secrets = null)
{
    public const string ClientName = "webhook";

    /// <summary>Orca's OkHttp timeouts: 15 s to connect, 20 s to read.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(20);

    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal) { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" };

    /// <summary>
    /// Registers the named client. HttpClient has no per-read timeout, so the whole exchange gets connect + read
    /// (35 s), and the connection attempt alone is limited to 15 s.
    /// </summary>
    public static void Register(IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.AddHttpClient(ClientName, client => client.Timeout = ConnectTimeout + ReadTimeout)
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var handler = new SocketsHttpHandler { ConnectTimeout = ConnectTimeout, AllowAutoRedirect = false, UseProxy = false };
                if (provider.GetRequiredService<IOptions<WebhookOptions>>().Value.BlockLinkLocal)
                {
                    handler.ConnectCallback = WebhookAddressGuard.ConnectAsync;
                }

                return handler;
            });
    }

    private UrlAllowList? allowList;

    /// <summary>The parsed allow-list (options are validated at start, so a bad entry never gets this far in the server).</summary>
    private UrlAllowList AllowList() => allowList ??= new UrlAllowList(options.Value.AllowedUrlPrefixes, WebhookOptionsValidator.Setting);

    public static bool IsSupportedMethod(string method) => Methods.Contains(method.ToUpperInvariant());

    /// <summary>Sends the request as it is (no secret references resolved); transport failures come back as <see cref="WebhookRequestException"/>.</summary>
    public Task<WebhookResponse> SendAsync(string method, Uri url, JsonNode? payload, JsonObject? customHeaders, CancellationToken cancellationToken) =>
        SendAsync(method, url, payload, customHeaders, SecretSource.None, cancellationToken);

    /// <summary>
    /// Sends the request, resolving <c>${secret:name}</c> in header values and the payload as <paramref name="source"/> allows;
    /// a missing or forbidden secret, or a credential header holding a written-out value in a pipeline's own fields, is a
    /// <see cref="WebhookRequestException"/> that is not transient (the stage ends TERMINAL) and names the header or secret.
    /// </summary>
    public async Task<WebhookResponse> SendAsync(string method, Uri url, JsonNode? payload, JsonObject? customHeaders, SecretSource source, CancellationToken cancellationToken)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        if (source != SecretSource.None)
        {
            try
            {
                customHeaders = ResolveHeaders(customHeaders, source, used);
                payload = SecretReferences.Resolve(payload, secrets, source == SecretSource.PipelineField, used);
            }
            catch (SecretNotFoundException e)
            {
                throw new WebhookRequestException(e.Message, isTransient: false);
            }
        }

        var response = await SendResolvedAsync(method, url, payload, customHeaders, cancellationToken);
        return used.Count == 0
            ? response
            : response with
            {
                Headers = (JsonObject)SecretScrubber.Scrub(response.Headers, used)!,
                Body = SecretScrubber.Scrub(response.Body, used),
                Location = response.Location is { } location && SecretScrubber.Scrub(location.OriginalString, used) is var scrubbed && scrubbed != location.OriginalString
                    ? new Uri(scrubbed, UriKind.RelativeOrAbsolute)
                    : response.Location,
            };
    }

    private JsonObject? ResolveHeaders(JsonObject? customHeaders, SecretSource source, HashSet<string> used)
    {
        if (customHeaders is null)
        {
            return null;
        }

        foreach (var (name, value) in customHeaders)
        {
            if (source == SecretSource.PipelineField && CredentialHeaders.IsSensitive(name) && !CredentialHeaders.IsSafeValue(value))
            {
                throw new SecretNotFoundException(
                    $"customHeaders.{name} holds a credential written into the pipeline, which Mizzen neither stores nor sends; store it as a secret and write '${{secret:NAME}}' (docs/secrets.md)");
            }
        }

        return (JsonObject?)SecretReferences.Resolve(customHeaders, secrets, source == SecretSource.PipelineField, used);
    }

    private async Task<WebhookResponse> SendResolvedAsync(string method, Uri url, JsonNode? payload, JsonObject? customHeaders, CancellationToken cancellationToken)
    {
        var allowed = AllowList();
        if (!allowed.IsEmpty && !allowed.Allows(url))
        {
            throw new WebhookRequestException(
                $"{method} {Redacted(url)} is not allowed: webhooks may only call URLs under {string.Join(", ", allowed.Entries)} (Mizzen:Webhook:AllowedUrlPrefixes)",
                isTransient: false);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (payload is not null)
        {
            request.Content = new StringContent(payload.ToJsonString(MizzenJson.Options), Encoding.UTF8, "application/json");
        }

        AddHeaders(request, customHeaders);
        LogSending(logger, method, Redacted(url));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
            return await WebhookResponse.ReadAsync(response, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout: retrying a GET is safe; other methods may have had an effect (Orca retries only GET).
            throw new WebhookRequestException($"{method} {Redacted(url)} timed out", isTransient: method == "GET");
        }
        catch (HttpRequestException e)
        {
            var retryable = e.HttpRequestError == HttpRequestError.NameResolutionError;
            var reason = e.InnerException is HttpRequestException inner ? inner.Message : e.Message;
            throw new WebhookRequestException($"{method} {Redacted(url)} failed: {reason}", retryable);
        }
    }

    /// <summary>The URL without its query and user info, for logs and messages (webhook URLs often carry tokens there).</summary>
    public static string Redacted(Uri url) => url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    private static void AddHeaders(HttpRequestMessage request, JsonObject? customHeaders)
    {
        if (customHeaders is null)
        {
            return;
        }

        foreach (var (name, node) in customHeaders)
        {
            var values = node is JsonArray list ? list.Select(v => v.AsString() ?? "").ToList() : [node.AsString() ?? ""];
            if (request.Headers.TryAddWithoutValidation(name, values))
            {
                continue;
            }

            // Content headers (Content-Type ...) belong on the body.
            request.Content ??= new ByteArrayContent([]);
            request.Content.Headers.Remove(name);
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && MediaTypeHeaderValue.TryParse(values[0], out var type))
            {
                request.Content.Headers.ContentType = type;
            }
            else
            {
                request.Content.Headers.TryAddWithoutValidation(name, values);
            }
        }
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Debug, Message = "Webhook {Method} {Url}")]
    private static partial void LogSending(ILogger logger, string method, string url);
}

/// <summary>Where a request's <c>${secret:name}</c> references come from, which decides whether they are resolved and which secrets they may name.</summary>
public enum SecretSource
{
    /// <summary>Nothing is resolved: the request goes as written (notification bodies, built by Mizzen).</summary>
    None,

    /// <summary>A pipeline's own stage fields: only secrets listed in <c>Mizzen:SecretStore:AllowedInPipelines</c>, and credential headers must be references.</summary>
    PipelineField,

    /// <summary>Operator configuration (a preconfigured webhook stage): any secret.</summary>
    Operator,
}

/// <summary>A webhook request that got no HTTP response; <see cref="IsTransient"/> says whether trying again can help.</summary>
public sealed class WebhookRequestException(string message, bool isTransient) : Mizzen.Core.Errors.MizzenException(message)
{
    public override bool IsTransient { get; } = isTransient;

    public override Mizzen.Core.Errors.ErrorKind Kind => Mizzen.Core.Errors.ErrorKind.Upstream;
}

/// <summary>A 429/503 response's <c>Retry-After</c> header, honoured as the next backoff.</summary>
internal static class RetryAfter
{
    /// <summary>The server's <c>Retry-After</c> in seconds, when it sent one as a number.</summary>
    public static TimeSpan? From(WebhookResponse response) =>
        response.Headers["Retry-After"].AsString() is { } text && int.TryParse(text, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
}

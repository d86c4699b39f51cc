using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Cli.Http;

/// <summary>
/// The CLI's only HTTP client: sends JSON to the Mizzen (Gate-compatible) API, returns the JSON answer, and turns
/// failures into <see cref="CliException"/>s (ProblemDetails → exit 1, no connection or no answer → exit 3).
/// </summary>
internal sealed class MizzenClient : IDisposable
{
    public const string UserHeader = "X-Mizzen-User";

    private readonly HttpClient http;
    private readonly CliSettings settings;

    public MizzenClient(Uri server, string? user, CliSettings settings, string? token = null)
    {
        this.settings = settings;
        Server = server;
        var handler = settings.CreateHandler?.Invoke() ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
        http = new HttpClient(handler, disposeHandler: true)
        {
            // Streams (--wait) are unlimited; plain requests get their own deadline in SendAsync.
            Timeout = Timeout.InfiniteTimeSpan,
            BaseAddress = new Uri(server.AbsoluteUri.EndsWith('/') ? server.AbsoluteUri : server.AbsoluteUri + "/"),
        };
        if (!string.IsNullOrWhiteSpace(user))
        {
            http.DefaultRequestHeaders.Add(UserHeader, user);
        }

        // The API token `mizzen login` stored for this server (or $MIZZEN_TOKEN): sent on every request.
        if (!string.IsNullOrWhiteSpace(token))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Uri Server { get; }

    /// <summary>The server URL as the user wrote it (no trailing slash), for messages.</summary>
    public string ServerText => Server.AbsoluteUri.TrimEnd('/');

    public Task<JsonNode?> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, body: null, cancellationToken);

    public Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendTextAsync(method, path, body?.ToJsonString(MizzenJson.Options), cancellationToken);

    /// <summary>
    /// The texts of the last answer's <c>Warning: 199 mizzen "TEXT"</c> headers (a pipeline saved with warnings), in order.
    /// </summary>
    public IReadOnlyList<string> LastWarnings { get; private set; } = [];

    /// <summary>Sends <paramref name="json"/> exactly as given (a pipeline file is posted as is).</summary>
    public async Task<JsonNode?> SendTextAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        // A network deadline, on the real clock on purpose: settings.Clock only drives waiting and display.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linked.CancelAfter(settings.RequestTimeout);
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            var text = await response.Content.ReadAsStringAsync(linked.Token);
            LastWarnings = [.. response.Headers.Warning.Select(w => w.Text.Trim('"'))];
            if (!response.IsSuccessStatusCode)
            {
                throw ProblemDetailsReader.ToException(method, path, response.StatusCode, text);
            }

            return ParseAnswer(method, path, text);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(
                $"Mizzen at {ServerText} did not answer {method} /{path} within {settings.RequestTimeout.TotalSeconds:0} s",
                ExitCodes.Unreachable);
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            throw CliException.Unreachable(Server);
        }
    }

    /// <summary>
    /// Opens a server-sent-events stream. Returns null when the server answers 404 (no such endpoint);
    /// throws a <see cref="HttpRequestException"/> when it cannot connect, so the caller can retry.
    /// </summary>
    public async Task<HttpResponseMessage?> OpenEventStreamAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                throw ProblemDetailsReader.ToException(HttpMethod.Get, path, response.StatusCode, text);
            }
        }

        return response;
    }

    public void Dispose() => http.Dispose();

    private JsonNode? ParseAnswer(HttpMethod method, string path, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new CliException($"{method} /{path} on {ServerText} did not answer JSON ({e.Message})");
        }
    }
}

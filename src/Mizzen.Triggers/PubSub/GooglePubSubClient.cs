using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Apis.Auth.OAuth2;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Triggers.PubSub;

/// <summary>
/// The three calls of Pub/Sub's REST API (v1) a pull subscriber needs — <c>subscriptions.pull</c>, <c>acknowledge</c> and
/// <c>modifyAckDeadline</c> — over <see cref="HttpClient"/>; the emulator answers the same JSON on its port. Access tokens come from
/// Google.Apis.Auth (which caches and refreshes them); a token goes on the request's header and nowhere else.
/// </summary>
public sealed class GooglePubSubClient(IHttpClientFactory clients)
{
    public const string HttpClientName = "mizzen-pubsub";

    public const string DefaultEndpoint = "https://pubsub.googleapis.com";

    private const string Scope = "https://www.googleapis.com/auth/pubsub";

    private readonly ConcurrentDictionary<string, Lazy<Task<ITokenAccess>>> credentials = new(StringComparer.Ordinal);

    /// <summary>The API root for <paramref name="subscription"/>: its <c>endpoint</c>, else <c>http://$PUBSUB_EMULATOR_HOST</c>, else Google's.</summary>
    public static Uri EndpointOf(GooglePubSubSubscription subscription)
    {
        var root = subscription.Endpoint is { Length: > 0 } endpoint ? endpoint
            : Environment.GetEnvironmentVariable("PUBSUB_EMULATOR_HOST") is { Length: > 0 } emulator ? $"http://{emulator}"
            : DefaultEndpoint;
        return new Uri(root.TrimEnd('/') + "/");
    }

    /// <summary>Up to <paramref name="maxMessages"/> messages; waits for some unless <paramref name="returnImmediately"/> (then possibly none).</summary>
    public async Task<IReadOnlyList<PubSubMessage>> PullAsync(GooglePubSubSubscription subscription, int maxMessages, bool returnImmediately, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(subscription, "pull", new JsonObject { ["maxMessages"] = maxMessages, ["returnImmediately"] = returnImmediately }, cancellationToken);
        return [.. (answer["receivedMessages"] as JsonArray ?? []).OfType<JsonObject>().Select(PubSubMessage.FromReceived)];
    }

    public Task AcknowledgeAsync(GooglePubSubSubscription subscription, IReadOnlyCollection<string> ackIds, CancellationToken cancellationToken) =>
        ackIds.Count == 0 ? Task.CompletedTask : SendAsync(subscription, "acknowledge", new JsonObject { ["ackIds"] = AckIds(ackIds) }, cancellationToken);

    /// <summary>Leases the messages for <paramref name="seconds"/> more from now (0 hands them back at once).</summary>
    public Task ModifyAckDeadlineAsync(GooglePubSubSubscription subscription, IReadOnlyCollection<string> ackIds, int seconds, CancellationToken cancellationToken) =>
        ackIds.Count == 0 ? Task.CompletedTask
            : SendAsync(subscription, "modifyAckDeadline", new JsonObject { ["ackIds"] = AckIds(ackIds), ["ackDeadlineSeconds"] = seconds }, cancellationToken);

    private static JsonArray AckIds(IEnumerable<string> ackIds) => new([.. ackIds.Select(a => (JsonNode)a)]);

    private async Task<JsonObject> SendAsync(GooglePubSubSubscription subscription, string method, JsonObject body, CancellationToken cancellationToken)
    {
        var endpoint = EndpointOf(subscription);
        var what = $"{method} on {subscription.Path} at {endpoint.GetLeftPart(UriPartial.Authority)}";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, $"v1/{subscription.Path}:{method}")) { Content = JsonContent.Create(body) };
        if (await TokenAsync(subscription, endpoint, what, cancellationToken) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new PubSubRequestException($"{what} failed: {e.Message}", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new PubSubRequestException($"{what} failed: {(int)response.StatusCode} {ErrorOf(text) ?? response.ReasonPhrase}");
            }

            try
            {
                return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
            }
            catch (JsonException e)
            {
                throw new PubSubRequestException($"{what} answered with something that is not JSON ({e.Message})", e);
            }
        }
    }

    /// <summary>Google's error body: <c>{"error":{"code":403,"message":"…","status":"PERMISSION_DENIED"}}</c>.</summary>
    private static string? ErrorOf(string text)
    {
        try
        {
            return JsonNode.Parse(text)?["error"] is JsonObject error ? $"{error["status"].AsString()}: {error["message"].AsString()}" : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// A bearer token: from the subscription's service-account key, or application-default credentials towards an https endpoint;
    /// none towards an http one without a key (the emulator needs none).
    /// </summary>
    private async Task<string?> TokenAsync(GooglePubSubSubscription subscription, Uri endpoint, string what, CancellationToken cancellationToken)
    {
        var key = subscription.JsonPath is { Length: > 0 } path ? path : endpoint.Scheme == Uri.UriSchemeHttps ? "" : null;
        if (key is null)
        {
            return null;
        }

        var lazy = credentials.GetOrAdd(key, k => new Lazy<Task<ITokenAccess>>(() => LoadAsync(k)));
        try
        {
            var access = await lazy.Value.WaitAsync(cancellationToken);
            return await access.GetAccessTokenForRequestAsync(endpoint.ToString(), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (lazy.Value.IsFaulted)
            {
                credentials.TryRemove(new KeyValuePair<string, Lazy<Task<ITokenAccess>>>(key, lazy)); // a fixed key file is read again next time
            }

            var source = key.Length > 0 ? $"the service-account key {key}" : "application-default credentials";
            throw new PubSubRequestException($"{what}: no access token from {source}: {e.Message}", e);
        }
    }

    private static async Task<ITokenAccess> LoadAsync(string jsonPath) => jsonPath.Length > 0
        ? (await CredentialFactory.FromFileAsync<ServiceAccountCredential>(jsonPath, CancellationToken.None)).ToGoogleCredential().CreateScoped(Scope)
        : (await GoogleCredential.GetApplicationDefaultAsync()).CreateScoped(Scope);
}

/// <summary>A Pub/Sub call that failed (unreachable, refused, an error answer, no token); the message says which call, where, and why.</summary>
public sealed class PubSubRequestException(string message, Exception? inner = null) : MizzenException(message, inner)
{
    public override ErrorKind Kind => ErrorKind.Upstream;

    public override bool IsTransient => true;
}

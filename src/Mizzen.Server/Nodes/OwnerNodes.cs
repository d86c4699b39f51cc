using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Mizzen.Providers.Local.Accounts;
using Mizzen.Providers.Local.Api;
using Yarp.ReverseProxy.Forwarder;

namespace Mizzen.Server.Nodes;

/// <summary>
/// The API's answer for local accounts another node owns (<c>Mizzen:Accounts:N:Node</c>): their server groups, instances, logs and
/// load balancers exist only in that node's memory and host. A request about one such account is forwarded to the owner
/// (<c>nodeUrl</c>) with YARP's forwarder; a listing over every account asks each owner for its accounts and merges the answers.
/// Without a <c>nodeUrl</c> the answer is a 409 naming the owner, never an empty list. A request another node forwarded
/// (<see cref="ForwardedHeader"/>) is answered from this node's state only, so requests never bounce between nodes.
/// </summary>
public sealed class OwnerNodes(
    ILocalAccountPlacement placement,
    IHttpForwarder forwarder,
    IHttpClientFactory clients,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IDisposable
{
    /// <summary>Marks a request passed on by another node; carries that node's id (for the owner's logs).</summary>
    public const string ForwardedHeader = "X-Mizzen-Forwarded-By";

    public const string HttpClientName = "Mizzen.Server.OwnerNodes";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly HttpMessageInvoker invoker = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    });

    /// <summary>Whether the request came from another node (then it is answered from this node's state only).</summary>
    public static bool IsForwarded(HttpContext http) => http.Request.Headers.ContainsKey(ForwardedHeader);

    /// <summary>
    /// For an account another node owns: forwards the request there and returns true once the owner's answer is written. Without a
    /// URL for the owner, or for a request that was already forwarded, refuses naming the owner. False for any other account.
    /// </summary>
    public async Task<bool> TryForwardAsync(HttpContext http, string account)
    {
        if (placement.Find(account) is not { IsRemote: true } remote)
        {
            return false;
        }

        if (remote.NodeUrl is not { } url || IsForwarded(http))
        {
            throw new AccountOnOtherNodeException(remote.Account, remote.Node!, remote.NodeUrl);
        }

        var error = await forwarder.SendAsync(http, url.ToString(), invoker, new ForwarderRequestConfig { ActivityTimeout = Timeout }, new NodeTransformer(placement.ThisNode));
        if (error != ForwarderError.None && !http.Response.HasStarted)
        {
            var failure = http.Features.Get<IForwarderErrorFeature>();
            throw new OwnerNodeUnavailableException(remote.Node!, url, failure?.Exception?.Message ?? error.ToString(), failure?.Exception);
        }

        return true;
    }

    /// <summary>
    /// A listing over every local account: <paramref name="local"/> (this node's accounts) plus, for each other node that owns
    /// accounts, that node's answer to the same request, keeping only the entries of the accounts it owns. Arrays are merged by
    /// their items' <c>account</c> (and kept in account order), objects by their keys (account names). With <paramref name="readable"/>,
    /// the owners' entries are kept only for accounts it lets through (the owner filters too, for the same caller).
    /// </summary>
    public async Task<IResult> ListAsync<T>(HttpContext http, T local, Func<string, bool>? readable = null)
    {
        var owners = RemoteOwners();
        if (owners.Count == 0 || IsForwarded(http))
        {
            return TypedResults.Ok(local);
        }

        var merged = JsonSerializer.SerializeToNode(local, json.Value.SerializerOptions)!;
        foreach (var owner in owners)
        {
            var answer = await GetFromOwnerAsync(http, owner, http.RequestAborted);
            Merge(merged, answer, readable is null ? owner.Accounts : [.. owner.Accounts.Where(a => readable(a.Account))]);
        }

        return TypedResults.Json(merged, json.Value.SerializerOptions);
    }

    /// <summary>
    /// Asks every other node that owns accounts the same request, in turn, and returns the first 200 answer; null when every owner
    /// answered 404 (or there is none, or this request was itself forwarded). For a lookup by an id unique across accounts (an instance's logs).
    /// </summary>
    public async Task<JsonNode?> FindOnOwnersAsync(HttpContext http)
    {
        if (IsForwarded(http))
        {
            return null;
        }

        foreach (var owner in RemoteOwners())
        {
            var answer = await GetFromOwnerAsync(http, owner, http.RequestAborted, notFoundIsNull: true);
            if (answer is not null)
            {
                return answer;
            }
        }

        return null;
    }

    /// <summary>The names of the accounts other nodes own, for messages.</summary>
    public IReadOnlyList<string> RemoteAccounts => [.. placement.All.Where(p => p.IsRemote).Select(p => p.Account)];

    private List<Owner> RemoteOwners() =>
        [.. placement.All.Where(p => p.IsRemote).GroupBy(p => p.Node!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Owner(g.Key, g.Select(p => p.NodeUrl).FirstOrDefault(u => u is not null), [.. g]))];

    private async Task<JsonNode?> GetFromOwnerAsync(HttpContext http, Owner owner, CancellationToken cancellationToken, bool notFoundIsNull = false)
    {
        if (owner.Url is not { } url)
        {
            var first = owner.Accounts[0];
            throw new AccountOnOtherNodeException(first.Account, owner.Node, null);
        }

        var client = clients.CreateClient(HttpClientName);
        client.Timeout = Timeout;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, http.Request.Path + http.Request.QueryString));
        request.Headers.TryAddWithoutValidation(ForwardedHeader, placement.ThisNode);
        foreach (var name in new[] { "Authorization", Security.UserIdentity.Header })
        {
            if (http.Request.Headers.TryGetValue(name, out var value))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new OwnerNodeUnavailableException(owner.Node, url, e.Message, e);
        }

        using (response)
        {
            if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new OwnerNodeUnavailableException(owner.Node, url, $"it answered {(int)response.StatusCode}: {Shorten(text)}");
            }

            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new OwnerNodeUnavailableException(owner.Node, url, "its answer was not JSON", e);
            }
        }
    }

    private static void Merge(JsonNode merged, JsonNode? answer, IReadOnlyList<LocalAccountPlacement> accounts)
    {
        bool Owns(string? account) => accounts.Any(a => a.Account == account);
        switch (merged, answer)
        {
            case (JsonArray list, JsonArray remote):
                var items = list.Concat(remote.Where(i => Owns(i?["account"]?.GetValue<string>())).Select(i => i?.DeepClone())).ToList();
                list.Clear();
                foreach (var item in items.Select((node, index) => (node, index))
                             .OrderBy(i => i.node?["account"]?.GetValue<string>(), StringComparer.Ordinal).ThenBy(i => i.index))
                {
                    list.Add(item.node?.DeepClone());
                }

                break;
            case (JsonObject map, JsonObject remote):
                foreach (var (key, value) in remote.Where(p => Owns(p.Key)).ToList())
                {
                    map[key] = value?.DeepClone();
                }

                break;
        }
    }

    public void Dispose() => invoker.Dispose();

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private sealed record Owner(string Node, Uri? Url, IReadOnlyList<LocalAccountPlacement> Accounts);

    /// <summary>YARP's default request copy, minus <c>Origin</c> (this node already checked it) and plus <see cref="ForwardedHeader"/>.</summary>
    private sealed class NodeTransformer(string thisNode) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.Headers.Remove("Origin");
            proxyRequest.Headers.Remove(ForwardedHeader);
            proxyRequest.Headers.TryAddWithoutValidation(ForwardedHeader, thisNode);
            proxyRequest.Headers.Host = null;
        }
    }
}

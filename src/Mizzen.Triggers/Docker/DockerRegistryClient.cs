using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Triggers.Polling;

namespace Mizzen.Triggers.Docker;

/// <summary>
/// The two calls of the Docker Registry HTTP API v2 a tag poller needs: the tags of a repository (<c>GET /v2/{name}/tags/list</c>,
/// following the <c>Link</c> header's pages) and the digest of one tag (<c>HEAD /v2/{name}/manifests/{tag}</c>, the
/// <c>Docker-Content-Digest</c> header). Authenticates as registries ask: a <c>401</c> with <c>WWW-Authenticate: Basic</c> is answered
/// with the account's user and password; <c>Bearer realm=…,service=…,scope=…</c> gets a token from the realm (with the account's
/// credentials when it has them, anonymously otherwise), kept per scope until it expires. Errors name the registry and repository,
/// never a credential. <paramref name="http"/> gives the client per request (the factory's, so its handlers rotate); tokens outlive it.
/// <paramref name="pageSize"/> is the <c>n</c> asked per page of tags.
/// </summary>
public sealed class DockerRegistryClient(Func<HttpClient> http, DockerRegistryAccount account, TimeProvider time, int pageSize = 1000)
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    ];

    private readonly Uri baseAddress = new(account.Address.TrimEnd('/') + "/");
    private readonly PollCredentials? credentials = PollCredentials.From(account.Username, account.Password, account.PasswordFile);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> tokens = new(StringComparer.Ordinal);
    private volatile bool basicAsked;

    /// <summary>The repository's tags; empty when the repository does not exist (yet): its first push is then new.</summary>
    public async Task<IReadOnlyList<string>> TagsAsync(string repository, CancellationToken cancellationToken)
    {
        var tags = new List<string>();
        Uri? next = new(baseAddress, $"v2/{repository}/tags/list?n={pageSize}");
        while (next is not null)
        {
            using var response = await SendAsync(HttpMethod.Get, next, repository, null, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return [];
            }

            Ensure(response, repository, "listing tags");
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
            tags.AddRange((body?["tags"] as JsonArray ?? []).Select(t => t.AsString()).OfType<string>());
            var following = NextPage(response, next);
            next = following == next ? null : following; // a registry that links a page to itself ends the list
        }

        return [.. tags.Distinct(StringComparer.Ordinal)]; // pages of an unsorted list may repeat a tag (distribution 2.x does not sort)
    }

    /// <summary>The digest of a tag's manifest (image, index or list); null when the tag no longer exists.</summary>
    public async Task<string?> DigestAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        var uri = new Uri(baseAddress, $"v2/{repository}/manifests/{Uri.EscapeDataString(tag)}");
        using var response = await SendAsync(HttpMethod.Head, uri, repository, ManifestTypes, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Ensure(response, repository, $"reading the digest of tag '{tag}'");
        return response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, string repository, string[]? accept, CancellationToken cancellationToken)
    {
        var scope = $"repository:{repository}:pull";
        var response = await http().SendAsync(Request(method, uri, accept, Authorization(scope)), cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || response.Headers.WwwAuthenticate.FirstOrDefault() is not { } challenge)
        {
            return response;
        }

        response.Dispose();
        AuthenticationHeaderValue? retry;
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && credentials is not null && !basicAsked)
        {
            basicAsked = true;
            retry = credentials.BasicHeader();
        }
        else if (challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            retry = new AuthenticationHeaderValue("Bearer", await TokenAsync(challenge.Parameter ?? "", scope, cancellationToken));
        }
        else
        {
            throw new HttpRequestException($"registry {account.RegistryHost} refused {repository}: 401 Unauthorized (check the account's username and password)",
                null, HttpStatusCode.Unauthorized);
        }

        return await http().SendAsync(Request(method, uri, accept, retry), cancellationToken);
    }

    private AuthenticationHeaderValue? Authorization(string scope)
    {
        if (tokens.TryGetValue(scope, out var token) && token.Expires > time.GetUtcNow())
        {
            return new AuthenticationHeaderValue("Bearer", token.Token);
        }

        return basicAsked && credentials is not null ? credentials.BasicHeader() : null;
    }

    private async Task<string> TokenAsync(string challenge, string fallbackScope, CancellationToken cancellationToken)
    {
        var parameters = ChallengeParameters(challenge);
        if (!parameters.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
        {
            throw new HttpRequestException($"registry {account.RegistryHost} asked for a bearer token without a realm");
        }

        var scope = parameters.GetValueOrDefault("scope") ?? fallbackScope;
        var query = new List<string>();
        if (parameters.TryGetValue("service", out var service))
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        query.Add("scope=" + Uri.EscapeDataString(scope));
        var tokenUri = new UriBuilder(realmUri) { Query = string.Join('&', query) }.Uri;
        using var response = await http().SendAsync(Request(HttpMethod.Get, tokenUri, null, credentials?.BasicHeader()), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the token service of registry {account.RegistryHost} ({realmUri.GetLeftPart(UriPartial.Path)}) answered {(int)response.StatusCode} {response.ReasonPhrase} for scope {scope}",
                null, response.StatusCode);
        }

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
        var token = body?["token"].AsString() ?? body?["access_token"].AsString()
            ?? throw new HttpRequestException($"the token service of registry {account.RegistryHost} answered without a token");
        var lifetime = TimeSpan.FromSeconds(Math.Max(body?["expires_in"].AsLong() ?? 60, 10) - 5);
        tokens[fallbackScope] = (token, time.GetUtcNow() + lifetime);
        return token;
    }

    /// <summary>The parameters of a challenge such as <c>realm="https://auth/token",service="registry",scope="repository:a/b:pull"</c>.</summary>
    public static Dictionary<string, string> ChallengeParameters(string challenge)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < challenge.Length)
        {
            var eq = challenge.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var name = challenge[i..eq].Trim(' ', ',');
            string value;
            if (eq + 1 < challenge.Length && challenge[eq + 1] == '"')
            {
                var close = challenge.IndexOf('"', eq + 2);
                close = close < 0 ? challenge.Length : close;
                value = challenge[(eq + 2)..close];
                i = close + 1;
            }
            else
            {
                var comma = challenge.IndexOf(',', eq);
                comma = comma < 0 ? challenge.Length : comma;
                value = challenge[(eq + 1)..comma];
                i = comma;
            }

            result[name] = value;
            i = i < challenge.Length && challenge[i] == ',' ? i + 1 : i;
        }

        return result;
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri uri, string[]? accept, AuthenticationHeaderValue? authorization)
    {
        var request = new HttpRequestMessage(method, uri);
        foreach (var type in accept ?? [])
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        request.Headers.Authorization = authorization;
        return request;
    }

    private void Ensure(HttpResponseMessage response, string repository, string doing)
    {
        if (!response.IsSuccessStatusCode)
        {
            var hint = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? " (check the account's username and password)" : "";
            throw new HttpRequestException($"registry {account.RegistryHost} answered {(int)response.StatusCode} {response.ReasonPhrase} {doing} of {repository}{hint}",
                null, response.StatusCode);
        }
    }

    /// <summary>The <c>Link: &lt;/v2/x/tags/list?last=t&amp;n=1000&gt;; rel="next"</c> page, relative to the registry.</summary>
    private static Uri? NextPage(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var open = link.IndexOf('<');
            var close = link.IndexOf('>');
            if (open >= 0 && close > open && link.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase))
            {
                return new Uri(current, link[(open + 1)..close]);
            }
        }

        return null;
    }
}

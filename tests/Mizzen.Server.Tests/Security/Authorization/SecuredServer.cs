using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Server.Security;
using Mizzen.Server.Security.Authentication;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Security.Authorization;

/// <summary>
/// The real server with authentication on, file-configured users (fiat's FILE roles), service accounts, an admin role, a read-only role,
/// account permissions (<c>prod</c>: READ for the three teams, WRITE for writers) and one API token per user, created through
/// <see cref="ApiTokens"/> from the server's own container. Application fixtures are made through the API as the admin.
/// </summary>
public sealed class SecuredServer : IAsyncDisposable
{
    /// <summary>READ for viewers, executors and writers; EXECUTE for executors and writers; WRITE for writers.</summary>
    public static readonly JsonObject ShopPermissions = new()
    {
        ["READ"] = new JsonArray("viewers", "executors", "writers"),
        ["EXECUTE"] = new JsonArray("executors", "writers"),
        ["WRITE"] = new JsonArray("writers"),
    };

    /// <summary>User name → roles. The writer also holds <c>executors</c>, so it may use the <c>jenkins-bot</c> service account.</summary>
    public static readonly Dictionary<string, string[]> UserRoles = new()
    {
        ["viewer"] = ["viewers"],
        ["executor"] = ["executors"],
        ["writer"] = ["writers", "executors"],
        ["admin"] = ["admins"],
        ["auditor"] = ["auditors", "writers"],
        ["releaser"] = ["executors", "release"],
    };

    private SecuredServer(RunningServer server) => Server = server;

    public RunningServer Server { get; }

    /// <summary>Identity → bearer token (<c>readonly</c>: the writer's token with scope <c>read</c>); no entry for <c>anonymous</c>.</summary>
    public Dictionary<string, string> Tokens { get; } = [];

    public static async Task<SecuredServer> StartAsync()
    {
        var server = await RunningServer.StartAsync(demo: false, [("local", "21200-21299"), ("prod", "21300-21399")], data =>
        {
            var path = Path.Combine(data, "mizzen.json");
            var settings = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var mizzen = settings["Mizzen"]!.AsObject();
            mizzen["Accounts"]![1]!["permissions"] = new JsonObject
            {
                ["READ"] = new JsonArray("viewers", "executors", "writers"),
                ["WRITE"] = new JsonArray("writers"),
            };
            mizzen["Auth"] = new JsonObject
            {
                ["Enabled"] = true,
                ["AdminRoles"] = new JsonArray("admins"),
                ["ReadOnlyRoles"] = new JsonArray("auditors"),
                ["Users"] = new JsonObject(UserRoles.Select(u => KeyValuePair.Create(u.Key, (JsonNode?)new JsonObject
                {
                    ["Roles"] = new JsonArray([.. u.Value.Select(r => (JsonNode)r)]),
                }))),
                ["ServiceAccounts"] = new JsonObject
                {
                    ["jenkins-bot"] = new JsonObject { ["Roles"] = new JsonArray("executors") },
                    ["prod-bot"] = new JsonObject { ["Roles"] = new JsonArray("writers", "release") },
                    ["outsider-bot"] = new JsonObject { ["Roles"] = new JsonArray("outsiders") },
                },
            };
            File.WriteAllText(path, settings.ToJsonString());
        });
        var secured = new SecuredServer(server);
        foreach (var user in UserRoles.Keys)
        {
            secured.Tokens[user] = await secured.CreateTokenAsync(user, "full");
        }

        secured.Tokens["readonly"] = await secured.CreateTokenAsync("writer", MizzenAuth.ReadScope);
        return secured;
    }

    public ApiTokens ApiTokens => Server.Services.GetRequiredService<ApiTokens>();

    public async Task<string> CreateTokenAsync(string owner, string scope) => (await CreateTokenWithIdAsync(owner, scope)).Secret;

    public async Task<(string Id, string Secret)> CreateTokenWithIdAsync(string owner, string scope)
    {
        var (token, secret) = await ApiTokens.CreateAsync(owner, $"test-{scope}-{Guid.NewGuid():N}", null, scope, CancellationToken.None);
        return (token.Id, secret);
    }

    /// <summary>A principal as authn builds it, for calls that take one (revoking a token as the admin).</summary>
    public static ClaimsPrincipal Principal(string user) => MizzenAuth.Principal(user, UserRoles[user], "token", "test");

    /// <summary>Sends as <paramref name="identity"/> (<c>anonymous</c>: no token); returns the status and the body's JSON (null when not JSON).</summary>
    public async Task<(int Status, JsonNode? Body)> SendAsync(string identity, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (Tokens.TryGetValue(identity, out var token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await Server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var status = (int)response.StatusCode;
        if (response.Content.Headers.ContentType?.MediaType is "text/event-stream")
        {
            return (status, null); // a live stream: the headers are the answer
        }

        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        try
        {
            return (status, text.Length == 0 ? null : JsonNode.Parse(text));
        }
        catch (System.Text.Json.JsonException)
        {
            return (status, null); // a page or a script
        }
    }

    /// <summary>Sends as the admin and throws unless the answer is a success.</summary>
    public async Task<JsonNode?> AdminAsync(HttpMethod method, string path, string? json = null)
    {
        var (status, body) = await SendAsync("admin", method, path, json);
        return status is >= 200 and < 300 ? body : throw new InvalidOperationException($"{method} {path} as admin answered {status}: {body?.ToJsonString()}");
    }

    /// <summary>Reads the run as the admin until it is SUCCEEDED or TERMINAL (the real worker runs it).</summary>
    public Task<JsonNode> WaitForEndAsync(string executionId) =>
        Eventually.GetAsync(async () => await AdminAsync(HttpMethod.Get, $"/pipelines/{executionId}") is { } run
                                        && run["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL" ? run : null,
            TimeSpan.FromSeconds(30), $"run {executionId} to end");

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

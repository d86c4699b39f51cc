using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Server.Security.Authentication;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Security;

/// <summary>A real server on loopback with <c>Mizzen:Auth</c> set to <paramref name="auth"/>, and API tokens made through its own container.</summary>
internal static class AuthServers
{
    /// <summary>Authentication on; alice is a writer, admin-person is an admin, ci-bot a service account.</summary>
    public static JsonObject FileUsers() => new()
    {
        ["Enabled"] = true,
        ["AdminRoles"] = new JsonArray("Admins"),
        ["Users"] = new JsonObject
        {
            ["alice"] = new JsonObject { ["Roles"] = new JsonArray("Writers", "viewers") },
            ["admin-person"] = new JsonObject { ["Roles"] = new JsonArray("admins") },
        },
        ["ServiceAccounts"] = new JsonObject { ["ci-bot"] = new JsonObject { ["Roles"] = new JsonArray("deployers") } },
    };

    public static Task<RunningServer> StartAsync(JsonObject auth) =>
        RunningServer.StartAsync(demo: false, [("local", "21300-21309")], data =>
        {
            var path = Path.Combine(data, "mizzen.json");
            var settings = JsonNode.Parse(File.ReadAllText(path))!;
            settings["Mizzen"]!["Auth"] = auth;
            File.WriteAllText(path, settings.ToJsonString());
        });

    public static async Task<string> TokenAsync(this RunningServer server, string owner, string scope = "full", DateTimeOffset? expiresAt = null)
    {
        var (_, secret) = await server.Services.GetRequiredService<ApiTokens>().CreateAsync(owner, "test", expiresAt, scope, CancellationToken.None);
        return secret;
    }

    /// <summary>A client of the same server that sends <paramref name="token"/> as its bearer token.</summary>
    public static HttpClient ClientWith(this RunningServer server, string? token)
    {
        var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = server.Url };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Server.Hosting;
using Mizzen.Server.Security.Authentication;
using Mizzen.Server.Tests.Durability;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Security;

/// <summary>
/// <c>Mizzen:Auth:Bootstrap</c>: the first admin credential of a server with authentication on and no directory. The real <c>serve</c>
/// process (so its whole console output can be searched for the token), and in-process servers for the refusals.
/// </summary>
public sealed class BootstrapTokenTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("mizzen-bootstrap-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
            // A server that is still exiting may hold a file; the temp folder is cleaned by the OS.
        }
    }

    private static string RandomToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(33));

    /// <summary>Authentication on with no directory; root is an admin by file membership; the token comes from <paramref name="token"/>.</summary>
    private static JsonObject Auth(string token) => new()
    {
        ["Enabled"] = true,
        ["AdminRoles"] = new JsonArray("admins"),
        ["Users"] = new JsonObject { ["root"] = new JsonObject { ["Roles"] = new JsonArray("admins") } },
        ["Bootstrap"] = new JsonObject { ["User"] = "root", ["Token"] = token },
    };

    private void WriteSettings(JsonObject auth, JsonObject? secrets = null)
    {
        var mizzen = new JsonObject { ["Auth"] = auth };
        if (secrets is not null)
        {
            mizzen["Secrets"] = secrets;
        }

        File.WriteAllText(Path.Combine(data, "mizzen.json"), new JsonObject { ["Mizzen"] = mizzen }.ToJsonString());
    }

    [Fact]
    public async Task The_bootstrap_token_from_a_secret_signs_in_as_its_admin_creates_real_tokens_and_never_appears_in_the_output()
    {
        var token = RandomToken();
        WriteSettings(Auth("${secret:mizzen-bootstrap}"));
        using var server = await LoggingServe.StartAsync(data, ("MIZZEN_SECRET_MIZZEN_BOOTSTRAP", token));
        using var bootstrap = Client(server.Address, token);

        var me = await bootstrap.GetFromJsonAsync<JsonObject>("/auth/user");
        me!["username"]!.GetValue<string>().ShouldBe("root");
        me["admin"]!.GetValue<bool>().ShouldBeTrue();
        me["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["admins"]);

        using var created = await bootstrap.PostAsJsonAsync("/auth/tokens", new { name = "first real token" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var real = (await created.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        using var withReal = Client(server.Address, real);
        (await withReal.GetFromJsonAsync<JsonObject>("/auth/user"))!["username"]!.GetValue<string>().ShouldBe("root");

        var used = await Eventually.GetAsync(async () =>
            (await withReal.GetFromJsonAsync<JsonObject>("/audit?action=token.bootstrap.used"))!["entries"]!.AsArray() is { Count: > 0 } e ? e : null,
            TimeSpan.FromSeconds(20), "the audit entry of the bootstrap token's first use");
        var entry = used.ShouldHaveSingleItem()!;
        entry["user"]!.GetValue<string>().ShouldBe("root");
        var audit = await withReal.GetStringAsync("/audit?limit=500");
        audit.ShouldNotContain(token);

        var output = await server.StopAsync();
        output.ShouldContain("a bootstrap token for root is configured (Mizzen:Auth:Bootstrap): it never expires; use it to create real API tokens, then remove it");
        output.ShouldNotContain(token);
        output.ShouldNotContain(token[..16]);
    }

    [Fact]
    public async Task A_wrong_bootstrap_token_gets_the_same_401_as_any_unknown_token_and_the_right_one_lets_its_admin_make_another_users_first_token()
    {
        var token = RandomToken();
        WriteSettings(Auth("${secret:bootstrap}"), new JsonObject { ["bootstrap"] = token });
        await using var server = await StartInProcessAsync();

        var wrong = await ProblemAsync(server.Url, token[..^1] + (token[^1] == 'A' ? 'B' : 'A'));
        var longer = await ProblemAsync(server.Url, token + "x");
        var unknown = await ProblemAsync(server.Url, "mzn_0123456789abcdef_" + RandomToken());
        var random = await ProblemAsync(server.Url, RandomToken());

        foreach (var refused in new[] { wrong, longer, unknown, random })
        {
            refused.Status.ShouldBe(HttpStatusCode.Unauthorized);
            refused.Detail.ShouldBe(BearerTokenHandler.InvalidToken);
        }

        using var right = Client(server.Url, token);
        (await right.GetFromJsonAsync<JsonObject>("/auth/user"))!["username"]!.GetValue<string>().ShouldBe("root");
        using var asSomeoneElse = await right.PostAsJsonAsync("/auth/tokens", new { name = "for alice", owner = "alice" });
        asSomeoneElse.StatusCode.ShouldBe(HttpStatusCode.Created); // root is an admin: it may make alice's first token
        (await asSomeoneElse.Content.ReadFromJsonAsync<JsonObject>())!["owner"]!.GetValue<string>().ShouldBe("alice");
    }

    [Fact]
    public async Task Serve_refuses_a_bootstrap_token_shorter_than_32_characters_with_one_line_that_does_not_repeat_it()
    {
        const string Short = "only-31-characters-long-token-x";
        Short.Length.ShouldBe(31);
        WriteSettings(Auth(Short));

        var refused = await ServerProcess.RunToExitAsync(TimeSpan.FromSeconds(60), "--port", $"{ServerProcess.FreePort()}", "--data", data);

        refused.Exit.ShouldBe(1, refused.Err);
        refused.Err.TrimEnd('\n').Split('\n').ShouldHaveSingleItem().ShouldBe(
            "mizzen: Mizzen:Auth:Bootstrap:Token is shorter than 32 characters; use a random one, e.g. `openssl rand -base64 33`");
        (refused.Out + refused.Err).ShouldNotContain(Short);
    }

    [Fact]
    public void A_bootstrap_token_naming_a_missing_secret_or_without_a_user_or_with_authentication_off_stops_the_start_naming_the_setting()
    {
        WriteSettings(Auth("${secret:not-there}"));
        Should.Throw<BootstrapTokenException>(Build).Message.ShouldStartWith("Mizzen:Auth:Bootstrap:Token: secret 'not-there' is not defined");

        var noUser = Auth(RandomToken());
        noUser["Bootstrap"]!.AsObject().Remove("User");
        WriteSettings(noUser);
        Should.Throw<BootstrapTokenException>(Build).Message.ShouldBe(
            "Mizzen:Auth:Bootstrap:Token is set without Mizzen:Auth:Bootstrap:User: name the user the token signs in as");

        var off = Auth(RandomToken());
        off["Enabled"] = false;
        WriteSettings(off);
        Should.Throw<BootstrapTokenException>(Build).Message.ShouldStartWith("Mizzen:Auth:Bootstrap is set but authentication is off");
    }

    private void Build()
    {
        using var app = MizzenServer.Build(new ServeArguments(0, data, "127.0.0.1", Demo: false), []);
    }

    private async Task<InProcess> StartInProcessAsync()
    {
        var app = MizzenServer.Build(new ServeArguments(0, data, "127.0.0.1", Demo: false), []);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
        return new InProcess(app, new Uri(address));
    }

    private static HttpClient Client(Uri server, string token)
    {
        var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<(HttpStatusCode Status, string? Detail)> ProblemAsync(Uri server, string token)
    {
        using var http = Client(server, token);
        using var response = await http.GetAsync("/applications");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body?["detail"]?.GetValue<string>());
    }

    private sealed record InProcess(Microsoft.AspNetCore.Builder.WebApplication App, Uri Url) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }
}

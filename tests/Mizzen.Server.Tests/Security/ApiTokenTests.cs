using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Security;

/// <summary>API tokens and the sign-in requirement on a real server (authentication on, file users' roles), over real HTTP.</summary>
public sealed class ApiTokenTests : IAsyncLifetime
{
    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await AuthServers.StartAsync(AuthServers.FileUsers());

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task An_api_call_without_credentials_gets_401_problem_details_and_a_browser_is_sent_to_the_login_page()
    {
        using var anonymous = server.ClientWith(null);

        using var api = await anonymous.GetAsync("/applications");
        api.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        api.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        api.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        (await api.Content.ReadAsStringAsync()).ShouldContain("this server requires signing in");

        using var page = new HttpRequestMessage(HttpMethod.Get, "/ui/applications/shop?tab=1");
        page.Headers.Accept.ParseAdd("text/html");
        using var browser = await anonymous.SendAsync(page);
        browser.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        browser.Headers.Location!.ToString().ShouldBe("/ui/login?returnUrl=%2Fui%2Fapplications%2Fshop%3Ftab%3D1");

        (await anonymous.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_signs_its_owner_in_with_the_owners_roles_and_the_user_header_is_ignored()
    {
        using var alice = server.ClientWith(await server.TokenAsync("alice"));

        var user = (await alice.GetFromJsonAsync<JsonObject>("/auth/user"))!;
        user["username"]!.GetValue<string>().ShouldBe("alice");
        user["authenticated"]!.GetValue<bool>().ShouldBeTrue();
        user["admin"]!.GetValue<bool>().ShouldBeFalse();
        user["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["viewers", "writers"]);

        using var create = new HttpRequestMessage(HttpMethod.Post, "/applications") { Content = JsonContent.Create(new { name = "shop", email = "t@example.com" }) };
        create.Headers.Add("X-Mizzen-User", "mallory");
        (await alice.SendAsync(create)).EnsureSuccessStatusCode();
        (await alice.GetFromJsonAsync<JsonObject>("/applications/shop"))!["lastModifiedBy"]!.GetValue<string>().ShouldBe("alice");
    }

    [Fact]
    public async Task A_token_created_over_the_api_is_shown_once_listed_without_its_secret_and_refused_at_once_after_revocation()
    {
        using var alice = server.ClientWith(await server.TokenAsync("alice"));

        using var created = await alice.PostAsJsonAsync("/auth/tokens", new { name = "jenkins", scope = "read" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var token = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var secret = token["token"]!.GetValue<string>();
        secret.ShouldStartWith("mzn_");
        token["owner"]!.GetValue<string>().ShouldBe("alice");

        var listed = await alice.GetStringAsync("/auth/tokens");
        listed.ShouldContain("jenkins");
        listed.ShouldNotContain(secret);
        listed.ShouldNotContain(secret[(secret.LastIndexOf('_') + 1)..]);

        using var jenkins = server.ClientWith(secret);
        (await jenkins.GetAsync("/applications")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await jenkins.GetFromJsonAsync<JsonObject>("/auth/user"))!["username"]!.GetValue<string>().ShouldBe("alice");

        (await alice.DeleteAsync($"/auth/tokens/{token["id"]}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using var refused = await jenkins.GetAsync("/applications");
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>().ShouldStartWith("the API token is unknown, expired or revoked");
    }

    [Fact]
    public async Task A_read_only_token_may_not_create_or_revoke_tokens()
    {
        using var reader = server.ClientWith(await server.TokenAsync("alice", scope: "read"));

        using var created = await reader.PostAsJsonAsync("/auth/tokens", new { name = "more" });

        created.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await created.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>().ShouldBe("a read-only token may not create an API token");
    }

    [Fact]
    public async Task Only_the_owner_or_an_admin_may_revoke_a_token_and_to_anyone_else_it_does_not_exist()
    {
        using var alice = server.ClientWith(await server.TokenAsync("alice"));
        var id = (await (await alice.PostAsJsonAsync("/auth/tokens", new { name = "cli" })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var bob = server.ClientWith(await server.TokenAsync("bob"));
        using var admin = server.ClientWith(await server.TokenAsync("admin-person"));

        (await bob.DeleteAsync($"/auth/tokens/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await bob.GetAsync("/auth/tokens?owner=alice")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.GetStringAsync("/auth/tokens?owner=alice")).ShouldContain(id);
        (await admin.DeleteAsync($"/auth/tokens/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await alice.GetStringAsync("/auth/tokens")).ShouldNotContain(id);
    }

    [Fact]
    public async Task A_token_with_a_bad_expiry_is_refused_naming_the_field()
    {
        using var alice = server.ClientWith(await server.TokenAsync("alice"));

        using var past = await alice.PostAsJsonAsync("/auth/tokens", new { name = "old", expiresAt = "2001-01-01T00:00:00Z" });
        using var far = await alice.PostAsJsonAsync("/auth/tokens", new { name = "far", expiresAt = "2999-01-01T00:00:00Z" });

        past.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await past.Content.ReadAsStringAsync()).ShouldContain("expiresAt 2001-01-01T00:00:00.0000000+00:00 is not in the future");
        far.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await far.Content.ReadAsStringAsync()).ShouldContain("a token may last at most 366 days");
    }

    [Fact]
    public async Task A_service_account_token_carries_the_service_accounts_configured_roles()
    {
        using var bot = server.ClientWith(await server.TokenAsync("ci-bot"));

        var user = (await bot.GetFromJsonAsync<JsonObject>("/auth/user"))!;

        user["username"]!.GetValue<string>().ShouldBe("ci-bot");
        user["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["deployers"]);
    }
}

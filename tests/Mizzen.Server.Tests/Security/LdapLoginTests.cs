using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Server.Audit;
using Mizzen.Server.Tests.Infrastructure;
using Mizzen.Testing.Ldap;

namespace Mizzen.Server.Tests.Security;

/// <summary>Signing in against a real OpenLDAP (slapd on loopback) through the real server, with real cookies.</summary>
public sealed class LdapLoginTests(DirectoryFixture directory) : IClassFixture<DirectoryFixture>, IAsyncLifetime
{
    private RunningServer server = null!;
    private CookieContainer cookies = new();

    /// <summary>Search-then-bind as the directory's admin; groups by <c>member</c>; a long throttle delay so the test's own pace does not matter.</summary>
    private JsonObject SearchThenBind() => new()
    {
        ["AdminRoles"] = new JsonArray("deployers"),
        ["Users"] = new JsonObject
        {
            ["alice"] = new JsonObject { ["Roles"] = new JsonArray("file-role") },
            ["admin-reader"] = new JsonObject { ["Roles"] = new JsonArray("deployers") }, // the audit log is for admins
        },
        ["Ldap"] = new JsonObject
        {
            ["Url"] = directory.Slapd.Url,
            ["ManagerDn"] = SlapdProcess.AdminDn,
            ["ManagerPassword"] = SlapdProcess.AdminPassword,
            ["UserSearchBase"] = SlapdProcess.People,
            ["UserSearchFilter"] = "(uid={0})",
            ["GroupSearchBase"] = SlapdProcess.Groups,
            ["GroupSearchFilter"] = "(member={0})",
        },
        ["Throttle"] = new JsonObject { ["FreeFailures"] = 3, ["BaseDelay"] = "00:10:00" },
    };

    public async Task InitializeAsync() => server = await AuthServers.StartAsync(SearchThenBind());

    public async Task DisposeAsync() => await server.DisposeAsync();

    private HttpClient Browser() => new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = server.Url };

    [Fact]
    public async Task A_directory_user_signs_in_with_a_session_cookie_and_gets_the_directory_groups_and_file_roles()
    {
        using var browser = Browser();

        using var login = await browser.PostAsJsonAsync("/auth/login", new { username = "alice", password = "alice-pw" });

        login.StatusCode.ShouldBe(HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        var setCookie = login.Headers.GetValues("Set-Cookie").ShouldHaveSingleItem();
        setCookie.ShouldStartWith("mizzen.session=");
        setCookie.ShouldContain("httponly");
        setCookie.ShouldContain("samesite=lax");
        setCookie.ShouldNotContain("secure"); // plain HTTP on loopback; on HTTPS the cookie is Secure
        var user = (await browser.GetFromJsonAsync<JsonObject>("/auth/user"))!;
        user["username"]!.GetValue<string>().ShouldBe("alice");
        user["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["deployers", "file-role", "viewers"]);
        user["admin"]!.GetValue<bool>().ShouldBeTrue();
        (await browser.GetAsync("/applications")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("nobody", "alice-pw")]
    [InlineData("alice", "")]
    [InlineData("*", "alice-pw")]
    [InlineData("alice)(uid=*", "alice-pw")]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_401_and_no_cookie(string user, string password)
    {
        using var browser = Browser();

        using var login = await browser.PostAsJsonAsync("/auth/login", new { username = user, password });

        login.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        login.Headers.Contains("Set-Cookie").ShouldBeFalse();
        (await login.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>().ShouldBe("the user name or password is wrong");
    }

    [Fact]
    public async Task Signing_in_as_token_returns_an_api_token_that_works_as_a_bearer_token()
    {
        using var anonymous = server.ClientWith(null);

        using var login = await anonymous.PostAsJsonAsync("/auth/login?as=token", new { username = "bob", password = "bob-pw", tokenName = "laptop" });

        login.StatusCode.ShouldBe(HttpStatusCode.Created, await login.Content.ReadAsStringAsync());
        var token = (await login.Content.ReadFromJsonAsync<JsonObject>())!;
        token["name"]!.GetValue<string>().ShouldBe("laptop");
        using var bob = server.ClientWith(token["token"]!.GetValue<string>());
        var user = (await bob.GetFromJsonAsync<JsonObject>("/auth/user"))!;
        user["username"]!.GetValue<string>().ShouldBe("bob");
        user["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["viewers"]);
    }

    [Fact]
    public async Task Repeated_failures_for_one_user_are_answered_429_with_retry_after_even_for_the_right_password()
    {
        using var browser = Browser();
        for (var i = 0; i < 4; i++)
        {
            (await browser.PostAsJsonAsync("/auth/login", new { username = "bob", password = "guess" + i })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var slowed = await browser.PostAsJsonAsync("/auth/login", new { username = "bob", password = "bob-pw" });
        using var unknown = await browser.PostAsJsonAsync("/auth/login", new { username = "nobody", password = "x" });

        slowed.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        int.Parse(slowed.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(1, 600);
        (await slowed.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>().ShouldStartWith("too many failed sign-ins: try again in");
        unknown.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests); // the address is slowed down too, for every name
    }

    [Fact]
    public async Task A_cookie_session_needs_the_antiforgery_token_to_change_anything_and_logout_ends_it()
    {
        using var browser = Browser();
        (await browser.PostAsJsonAsync("/auth/login", new { username = "alice", password = "alice-pw" })).EnsureSuccessStatusCode();

        using var change = await browser.PostAsJsonAsync("/applications", new { name = "shop", email = "t@example.com" });
        change.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await change.Content.ReadAsStringAsync()).ShouldContain("needs the antiforgery token");

        using var logout = await browser.PostAsync("/auth/logout", null);
        logout.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await browser.GetAsync("/applications")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await browser.GetFromJsonAsync<JsonObject>("/auth/user"))!["authenticated"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task A_user_dn_pattern_with_posix_groups_by_member_uid_and_member_of_gives_every_group()
    {
        await server.DisposeAsync();
        var auth = SearchThenBind();
        var ldap = auth["Ldap"]!.AsObject();
        ldap.Remove("ManagerDn");
        ldap.Remove("ManagerPassword");
        ldap["UserDnPattern"] = "uid={0}," + SlapdProcess.People;
        ldap["GroupSearchFilter"] = "(memberUid={1})";
        ldap["UseMemberOf"] = true;
        server = await AuthServers.StartAsync(auth);
        using var anonymous = server.ClientWith(null);

        using var login = await anonymous.PostAsJsonAsync("/auth/login", new { username = "alice", password = "alice-pw" });

        login.StatusCode.ShouldBe(HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        (await login.Content.ReadFromJsonAsync<JsonObject>())!["roles"]!.AsArray().Select(r => r!.GetValue<string>())
            .ShouldBe(["deployers", "file-role", "ops", "viewers"]);
    }

    [Fact]
    public async Task A_directory_that_does_not_answer_is_a_502_naming_it_not_a_wrong_password()
    {
        await server.DisposeAsync();
        var auth = SearchThenBind();
        auth["Ldap"]!["Url"] = "ldap://127.0.0.1:1";
        server = await AuthServers.StartAsync(auth);
        using var anonymous = server.ClientWith(null);

        using var login = await anonymous.PostAsJsonAsync("/auth/login", new { username = "alice", password = "alice-pw" });

        login.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        (await login.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>().ShouldStartWith("the LDAP directory ldap://127.0.0.1:1 could not check the sign-in");
    }

    [Fact]
    public async Task Logins_logouts_and_token_changes_are_audited_without_passwords_or_secrets()
    {
        using var browser = Browser();
        (await browser.PostAsJsonAsync("/auth/login", new { username = "alice", password = "not-her-password" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var anonymous = server.ClientWith(null);
        var created = (await (await anonymous.PostAsJsonAsync("/auth/login?as=token", new { username = "alice", password = "alice-pw" })).Content.ReadFromJsonAsync<JsonObject>())!;
        using var alice = server.ClientWith(created["token"]!.GetValue<string>());
        (await alice.DeleteAsync($"/auth/tokens/{created["id"]}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await browser.PostAsJsonAsync("/auth/login", new { username = "alice", password = "alice-pw" })).EnsureSuccessStatusCode();
        (await browser.PostAsync("/auth/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await server.Services.GetRequiredService<AuditLog>().FlushAsync(CancellationToken.None);

        var audit = await server.ClientWith(await server.TokenAsync("admin-reader")).GetStringAsync("/audit?user=alice&limit=50");

        var actions = JsonNode.Parse(audit)!["entries"]!.AsArray().Select(r => r!["action"]!.GetValue<string>()).Reverse().ToList();
        actions.ShouldBe(["login.failed", "login.succeeded", "token.created", "token.revoked", "login.succeeded", "logout"]);
        audit.ShouldNotContain("not-her-password");
        audit.ShouldNotContain("alice-pw");
        audit.ShouldNotContain(created["token"]!.GetValue<string>());
    }
}

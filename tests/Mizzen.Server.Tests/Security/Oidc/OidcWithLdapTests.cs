using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;
using Mizzen.Testing.Ldap;
using Mizzen.Testing.Oidc;

namespace Mizzen.Server.Tests.Security.Oidc;

/// <summary>LDAP and OIDC on at once (the "several may be on at once"): a real slapd and the test identity provider, one server.</summary>
public sealed class OidcWithLdapTests(DirectoryFixture directory) : IClassFixture<DirectoryFixture>, IAsyncLifetime
{
    private TestIdentityProvider provider = null!;
    private RunningServer server = null!;

    public async Task InitializeAsync()
    {
        provider = await TestIdentityProvider.StartAsync(new TestIdentityUser("carol", "release-managers"));
        var auth = OidcLoginTests.OidcAuth(provider);
        auth["Ldap"] = new JsonObject
        {
            ["Url"] = directory.Slapd.Url,
            ["UserDnPattern"] = "uid={0}," + SlapdProcess.People,
            ["GroupSearchBase"] = SlapdProcess.Groups,
        };
        server = await OidcLoginTests.StartServerAsync(provider, auth);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await provider.DisposeAsync();
    }

    private static HttpClient Browser(RunningServer server, CookieContainer cookies) =>
        new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = server.Url };

    [Fact]
    public async Task The_login_page_offers_both_and_each_signs_in_with_its_own_roles()
    {
        using var page = Browser(server, new CookieContainer());
        page.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var html = await page.GetStringAsync("/ui/login");
        html.ShouldContain(">Sign in with Test IdP</a>");
        html.ShouldContain("<label for=\"login-password\">Password</label>");

        using var ldap = Browser(server, new CookieContainer());
        using var login = await ldap.PostAsJsonAsync("/auth/login", new { username = "alice", password = "alice-pw" });
        login.StatusCode.ShouldBe(HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        var ldapUser = (await ldap.GetFromJsonAsync<JsonObject>("/auth/user"))!;
        ldapUser["username"]!.GetValue<string>().ShouldBe("alice");
        ldapUser["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["deployers", "viewers"]);

        using var oidc = Browser(server, new CookieContainer());
        await OidcFlow.SignInAsync(oidc, provider, "carol", "/");
        var oidcUser = (await oidc.GetFromJsonAsync<JsonObject>("/auth/user"))!;
        oidcUser["username"]!.GetValue<string>().ShouldBe("carol");
        oidcUser["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["release-managers"]);
    }
}

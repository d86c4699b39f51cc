using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Server.Audit;
using Mizzen.Server.Security.Authentication;
using Mizzen.Server.Tests.Durability;
using Mizzen.Server.Tests.Infrastructure;
using Mizzen.Testing.Oidc;

namespace Mizzen.Server.Tests.Security.Oidc;

/// <summary>
/// Signing in with OpenID Connect through the real server against the <see cref="TestIdentityProvider"/> (OpenIddict on loopback, real
/// HTTP both ways), following each redirect by hand with one cookie jar, as a browser would: the authorization code flow with PKCE, the
/// groups claim as roles, the session cookie, and the failures (a forged state, a refusal, a provider that is down).
/// </summary>
public sealed partial class OidcLoginTests : IAsyncLifetime
{
    private readonly CookieContainer cookies = new();
    private TestIdentityProvider provider = null!;
    private RunningServer server = null!;

    public async Task InitializeAsync()
    {
        provider = await TestIdentityProvider.StartAsync(
            new TestIdentityUser("alice", "Deployers", "viewers"),
            new TestIdentityUser("bob", "viewers"),
            new TestIdentityUser("nameless", "viewers") { WithoutUserName = true });
        server = await StartServerAsync(provider, OidcAuth(provider));
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await provider.DisposeAsync();
    }

    /// <summary><c>Mizzen:Auth</c> with OIDC on: admin-person (a file user) is an admin, to read the audit log and create applications.</summary>
    internal static JsonObject OidcAuth(TestIdentityProvider provider) => new()
    {
        ["AdminRoles"] = new JsonArray("platform-admins"),
        ["Users"] = new JsonObject { ["admin-person"] = new JsonObject { ["Roles"] = new JsonArray("platform-admins") } },
        ["Oidc"] = new JsonObject
        {
            ["Authority"] = provider.Authority.ToString(),
            ["ClientId"] = TestIdentityProvider.ClientId,
            ["ClientSecret"] = TestIdentityProvider.ClientSecret,
            ["Scopes"] = new JsonArray("groups"),
            ["DisplayName"] = "Sign in with Test IdP",
            ["RequireHttpsMetadata"] = false, // the test provider is on plain HTTP on loopback
            ["Timeout"] = "00:01:00", // a loaded test machine; a provider that is down refuses the connection at once
        },
    };

    /// <summary>A server with <paramref name="auth"/> (and <paramref name="more"/> settings under Mizzen), its callback registered at the provider.</summary>
    internal static async Task<RunningServer> StartServerAsync(TestIdentityProvider provider, JsonObject auth, Action<JsonObject, string>? more = null)
    {
        var running = await RunningServer.StartAsync(demo: false, [("local", "21310-21319")], data =>
        {
            var path = Path.Combine(data, "mizzen.json");
            var settings = JsonNode.Parse(File.ReadAllText(path))!;
            settings["Mizzen"]!["Auth"] = auth;
            more?.Invoke(settings["Mizzen"]!.AsObject(), data);
            File.WriteAllText(path, settings.ToJsonString());
        });
        provider.AllowRedirectUri(new Uri(running.Url, "/auth/oidc/callback"));
        provider.AllowRedirectUri(new Uri(running.Url, "/auth/oidc/signed-out"));
        return running;
    }

    private HttpClient Browser() => new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = server.Url };

    [Fact]
    public async Task A_user_signs_in_at_the_provider_and_gets_a_small_session_cookie_and_the_groups_claim_as_roles()
    {
        using var browser = Browser();

        var landed = await OidcFlow.SignInAsync(browser, provider, "alice", "/ui/applications/shop?tab=1");

        landed.ShouldBe("/ui/applications/shop?tab=1");
        var session = cookies.GetCookies(server.Url)["mizzen.session"].ShouldNotBeNull();
        session.HttpOnly.ShouldBeTrue();
        session.Value.Length.ShouldBeLessThan(1500); // name, roles and method only: no provider token is kept
        var user = (await browser.GetFromJsonAsync<JsonObject>("/auth/user"))!;
        user["username"]!.GetValue<string>().ShouldBe("alice");
        user["authenticated"]!.GetValue<bool>().ShouldBeTrue();
        user["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["deployers", "viewers"]);
        user["admin"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task The_groups_decide_application_permissions_and_the_users_api_tokens_get_the_same_roles()
    {
        using var admin = server.ClientWith(await server.TokenAsync("admin-person"));
        (await admin.PostAsJsonAsync("/applications", new { name = "shop", permissions = new { READ = new[] { "deployers" }, WRITE = new[] { "deployers" } } })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/applications", new { name = "vault", permissions = new { READ = new[] { "treasurers" }, WRITE = new[] { "treasurers" } } })).EnsureSuccessStatusCode();
        using var browser = Browser();

        await OidcFlow.SignInAsync(browser, provider, "alice", "/");

        (await browser.GetAsync("/applications/shop")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var refused = await browser.GetAsync("/applications/vault");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("READ on application 'vault'");
        var listed = (await browser.GetFromJsonAsync<JsonArray>("/applications"))!.Select(a => a!["name"]!.GetValue<string>()).ToList();
        listed.ShouldContain("shop");
        listed.ShouldNotContain("vault");
        using var token = server.ClientWith(await server.TokenAsync("alice"));
        (await token.GetFromJsonAsync<JsonObject>("/auth/user"))!["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["deployers", "viewers"]);
        (await token.GetAsync("/applications/shop")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_single_valued_groups_claim_is_one_role()
    {
        using var browser = Browser();

        await OidcFlow.SignInAsync(browser, provider, "bob", "/");

        var user = (await browser.GetFromJsonAsync<JsonObject>("/auth/user"))!;
        user["username"]!.GetValue<string>().ShouldBe("bob");
        user["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["viewers"]);
    }

    [Fact]
    public async Task The_authorization_request_carries_an_S256_code_challenge_and_the_provider_refuses_the_code_without_its_verifier()
    {
        using var browser = Browser();
        var callback = await OidcFlow.AuthorizeAsync(browser, provider, "alice", "/");

        var authorize = provider.AuthorizationRequests.Last();
        authorize["response_type"].ShouldBe("code");
        authorize["code_challenge_method"].ShouldBe("S256");
        authorize["code_challenge"].Length.ShouldBe(43); // base64url of a SHA-256
        authorize.Keys.ShouldContain("state");
        authorize.Keys.ShouldContain("nonce");
        var code = QueryHelpers.ParseQuery(callback.Query)["code"].ToString();
        code.ShouldNotBeNullOrEmpty();

        // The same code, redeemed directly without the verifier (what a thief of the code could do) and with a wrong one: both refused.
        using var direct = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        foreach (var verifier in new string?[] { null, new('x', 43) })
        {
            var form = new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = authorize["redirect_uri"],
                ["client_id"] = TestIdentityProvider.ClientId, ["client_secret"] = TestIdentityProvider.ClientSecret,
            };
            if (verifier is not null)
            {
                form["code_verifier"] = verifier;
            }

            using var stolen = await direct.PostAsync(new Uri(provider.Authority, TestIdentityProvider.TokenPath), new FormUrlEncodedContent(form));
            stolen.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            var error = (await stolen.Content.ReadFromJsonAsync<JsonObject>())!;
            error["error"]!.GetValue<string>().ShouldBeOneOf("invalid_request", "invalid_grant");
            error["error_description"]!.GetValue<string>().ShouldContain("code_verifier");
        }

        // Mizzen's own redemption sends the verifier it kept in the state.
        using var signedIn = await browser.GetAsync(callback);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        var redemption = provider.TokenRequests.Last();
        redemption["code_verifier"].Length.ShouldBeGreaterThanOrEqualTo(43);
        redemption["client_secret"].ShouldBe("***"); // sent (the recorder hides it)
        (await browser.GetFromJsonAsync<JsonObject>("/auth/user"))!["username"]!.GetValue<string>().ShouldBe("alice");
    }

    [Fact]
    public async Task The_provider_refuses_an_authorization_request_without_a_code_challenge()
    {
        using var browser = Browser();
        using var start = await browser.GetAsync("/auth/oidc/login");
        var authorize = start.Headers.Location!;
        var query = QueryHelpers.ParseQuery(authorize.Query).Where(p => !p.Key.StartsWith("code_challenge", StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        query["login_hint"] = "alice";

        using var answer = await browser.GetAsync(QueryHelpers.AddQueryString(authorize.GetLeftPart(UriPartial.Path), query));

        // OpenIddict answers on its own error page rather than sending an error back: nothing reaches the client, least of all a code.
        answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        answer.Headers.Location.ShouldBeNull();
        var error = await answer.Content.ReadAsStringAsync();
        error.ShouldContain("error:invalid_request");
        error.ShouldContain("The mandatory 'code_challenge' parameter is missing.");
    }

    [Fact]
    public async Task A_tampered_or_missing_state_is_a_400_and_signs_nobody_in()
    {
        using var browser = Browser();
        var callback = await OidcFlow.AuthorizeAsync(browser, provider, "alice", "/");
        var query = QueryHelpers.ParseQuery(callback.Query).ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        var state = query["state"]!;

        foreach (var forged in new[] { state[..^4] + (state[^4..] == "AAAA" ? "BBBB" : "AAAA"), "" })
        {
            query["state"] = forged;
            using var answer = await browser.GetAsync(QueryHelpers.AddQueryString(callback.GetLeftPart(UriPartial.Path), query));

            answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await answer.Content.ReadAsStringAsync());
            var problem = (await answer.Content.ReadFromJsonAsync<JsonObject>())!;
            problem["title"]!.GetValue<string>().ShouldBe("Sign-in failed");
            problem["detail"]!.GetValue<string>().ShouldContain("does not match a sign-in started by this browser");
            cookies.GetCookies(server.Url)["mizzen.session"].ShouldBeNull();
        }

        (await browser.GetFromJsonAsync<JsonObject>("/auth/user"))!["authenticated"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task A_callback_replayed_in_another_browser_is_a_400()
    {
        using var browser = Browser();
        var callback = await OidcFlow.AuthorizeAsync(browser, provider, "alice", "/");
        using var other = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, CookieContainer = new CookieContainer() });

        using var answer = await other.GetAsync(callback); // a valid state, but not this browser's correlation cookie (login CSRF)

        answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        answer.Headers.Where(h => h.Key == "Set-Cookie").SelectMany(h => h.Value).ShouldNotContain(c => c.StartsWith("mizzen.session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refusal_at_the_provider_comes_back_to_the_login_page_with_a_message_and_is_audited()
    {
        using var browser = Browser();
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        var landed = await OidcFlow.SignInAsync(browser, provider, "mallory", "/ui/applications/shop", expectSession: false);

        landed.ShouldBe("/ui/login?error=oidc-denied&returnUrl=%2Fui%2Fapplications%2Fshop");
        var page = await browser.GetStringAsync(landed);
        page.ShouldContain("The identity provider did not sign you in: access was denied there.");
        cookies.GetCookies(server.Url)["mizzen.session"].ShouldBeNull();
        var entries = await AuditAsync("login.failed");
        entries.ShouldContain(e => e["detail"]!.GetValue<string>().Contains("oidc: the identity provider refused the sign-in (access_denied)"));
    }

    [Fact]
    public async Task An_answer_without_the_user_name_claim_signs_nobody_in_and_says_which_claim()
    {
        using var browser = Browser();

        var landed = await OidcFlow.SignInAsync(browser, provider, "nameless", "/", expectSession: false);

        landed.ShouldBe("/ui/login?error=oidc-claims");
        (await browser.GetStringAsync(landed)).ShouldContain("Mizzen:Auth:Oidc:UserNameClaim");
        cookies.GetCookies(server.Url)["mizzen.session"].ShouldBeNull();
    }

    [Fact]
    public async Task Sign_ins_are_audited_with_source_oidc_and_logout_ends_the_session()
    {
        using var browser = Browser();
        await OidcFlow.SignInAsync(browser, provider, "alice", "/");

        using var logout = await browser.PostAsync("/auth/logout", null);

        logout.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await browser.GetAsync("/applications")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var entries = await AuditAsync("login.succeeded");
        var entry = entries.ShouldHaveSingleItem();
        entry["user"]!.GetValue<string>().ShouldBe("alice");
        entry["detail"]!.GetValue<string>().ShouldBe("oidc");
        string.Join("\n", entries.Select(e => e.ToJsonString())).ShouldNotContain(TestIdentityProvider.ClientSecret);
        string.Join("\n", server.Logs.Entries.Select(e => e.Message)).ShouldNotContain(TestIdentityProvider.ClientSecret);
    }

    [Fact]
    public async Task A_get_from_another_site_to_the_handlers_sign_out_paths_signs_nobody_out()
    {
        using var browser = Browser();
        await OidcFlow.SignInAsync(browser, provider, "alice", "/");

        foreach (var path in new[] { "/signout-oidc", "/auth/oidc/remote-signout", "/auth/oidc/signed-out" })
        {
            using var answer = await browser.GetAsync(path + "?iss=" + Uri.EscapeDataString(provider.Authority.ToString()));
            ((int)answer.StatusCode).ShouldBeLessThan(500, path);
        }

        (await browser.GetFromJsonAsync<JsonObject>("/auth/user"))!["username"]!.GetValue<string>().ShouldBe("alice");
    }

    [Fact]
    public async Task The_login_page_shows_the_providers_button_with_the_return_address()
    {
        using var browser = Browser();
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        var page = await browser.GetStringAsync("/ui/login?returnUrl=%2Fui%2Fapplications%2Fshop");

        page.ShouldContain("href=\"/auth/oidc/login?returnUrl=%2Fui%2Fapplications%2Fshop\" data-enhance-nav=\"false\"");
        page.ShouldContain(">Sign in with Test IdP</a>");
        page.ShouldNotContain("login-password"); // no LDAP here: no password form
        page.ShouldNotContain("API tokens only");
    }

    [Fact]
    public async Task A_return_address_on_another_site_lands_on_the_home_page()
    {
        using var browser = Browser();

        var landed = await OidcFlow.SignInAsync(browser, provider, "alice", "https://evil.example/phish");

        landed.ShouldBe("/");
    }

    [Fact]
    public async Task A_provider_that_is_down_when_signing_in_starts_is_a_502_naming_it()
    {
        await server.DisposeAsync();
        var down = await TestIdentityProvider.StartAsync();
        var authority = down.Authority.ToString();
        await down.DisposeAsync();
        server = await StartServerAsync(down, OidcAuth(down));
        using var browser = Browser();

        using var answer = await browser.GetAsync("/auth/oidc/login");

        answer.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        var problem = (await answer.Content.ReadFromJsonAsync<JsonObject>())!;
        problem["title"]!.GetValue<string>().ShouldBe("Identity provider unavailable");
        problem["detail"]!.GetValue<string>().ShouldStartWith($"the identity provider {authority} did not answer");
    }

    [Fact]
    public async Task A_provider_that_stops_before_the_code_is_redeemed_is_a_502_not_a_500()
    {
        using var browser = Browser();
        var callback = await OidcFlow.AuthorizeAsync(browser, provider, "alice", "/");
        await provider.DisposeAsync();

        using var answer = await browser.GetAsync(callback);

        answer.StatusCode.ShouldBe(HttpStatusCode.BadGateway, await answer.Content.ReadAsStringAsync());
        (await answer.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>().ShouldStartWith($"the identity provider {provider.Authority} did not answer");
        cookies.GetCookies(server.Url)["mizzen.session"].ShouldBeNull();
    }

    [Fact]
    public async Task The_client_secret_may_be_a_secret_reference_resolved_from_the_secret_store()
    {
        await server.DisposeAsync();
        var auth = OidcAuth(provider);
        auth["Oidc"]!["ClientSecret"] = "${secret:oidc-client}";
        server = await StartServerAsync(provider, auth, (mizzen, data) =>
        {
            var secrets = Directory.CreateDirectory(Path.Combine(data, "secrets")).FullName;
            File.WriteAllText(Path.Combine(secrets, "oidc-client"), TestIdentityProvider.ClientSecret + "\n");
            mizzen["SecretStore"] = new JsonObject { ["Directory"] = secrets };
        });
        using var browser = Browser();

        await OidcFlow.SignInAsync(browser, provider, "alice", "/");

        (await browser.GetFromJsonAsync<JsonObject>("/auth/user"))!["username"]!.GetValue<string>().ShouldBe("alice");
        string.Join("\n", server.Logs.Entries.Select(e => e.Message)).ShouldNotContain(TestIdentityProvider.ClientSecret);
    }

    [Fact]
    public async Task A_client_secret_reference_to_a_missing_secret_is_a_503_naming_the_setting_and_sends_nothing()
    {
        await server.DisposeAsync();
        var auth = OidcAuth(provider);
        auth["Oidc"]!["ClientSecret"] = "${secret:oidc-missing}";
        server = await StartServerAsync(provider, auth);
        using var browser = Browser();
        var callback = await OidcFlow.AuthorizeAsync(browser, provider, "alice", "/");

        using var answer = await browser.GetAsync(callback);

        answer.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, await answer.Content.ReadAsStringAsync());
        var detail = (await answer.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();
        detail.ShouldStartWith("Mizzen:Auth:Oidc:ClientSecret: ");
        detail.ShouldContain("oidc-missing");
        provider.TokenRequests.ShouldBeEmpty(); // the code was not sent anywhere without its secret
        cookies.GetCookies(server.Url)["mizzen.session"].ShouldBeNull();
    }

    [Fact]
    public async Task An_authority_without_a_client_id_refuses_to_start_naming_the_setting()
    {
        var auth = OidcAuth(provider);
        auth["Oidc"]!.AsObject().Remove("ClientId");

        var refused = await Should.ThrowAsync<AuthConfigurationException>(() => StartServerAsync(provider, auth));

        refused.Setting.ShouldBe("Mizzen:Auth:Oidc:ClientId");
    }

    [Fact]
    public async Task Serve_with_an_authority_but_no_client_id_exits_with_one_line_naming_the_setting()
    {
        var data = Directory.CreateTempSubdirectory("mizzen-oidc-").FullName;
        try
        {
            var settings = new JsonObject { ["Mizzen"] = new JsonObject { ["Auth"] = new JsonObject { ["Oidc"] = new JsonObject { ["Authority"] = "https://idp.example/realms/eng" } } } };
            await File.WriteAllTextAsync(Path.Combine(data, "mizzen.json"), settings.ToJsonString());

            var refused = await ServerProcess.RunToExitAsync(TimeSpan.FromSeconds(90), "--port", $"{ServerProcess.FreePort()}", "--data", data);

            refused.Exit.ShouldBe(1, refused.Err);
            refused.Err.TrimEnd('\n').Split('\n').ShouldHaveSingleItem().ShouldBe(
                "mizzen: Mizzen:Auth:Oidc:ClientId: OIDC sign-in (Mizzen:Auth:Oidc:Authority is set) needs the client id registered for Mizzen at the provider");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task An_answer_whose_nonce_cookie_is_gone_is_a_400()
    {
        using var browser = Browser();
        var callback = await OidcFlow.AuthorizeAsync(browser, provider, "alice", "/");
        var jar = new CookieContainer(); // the same browser without its nonce cookie: the ID token's nonce matches nothing it holds
        var all = cookies.GetAllCookies();
        all.Where(c => c.Name.StartsWith(".AspNetCore.Correlation.", StringComparison.Ordinal)).ShouldHaveSingleItem();
        all.Where(c => c.Name.StartsWith(".AspNetCore.OpenIdConnect.Nonce.", StringComparison.Ordinal)).ShouldHaveSingleItem();
        foreach (var cookie in all.Where(c => !c.Name.StartsWith(".AspNetCore.OpenIdConnect.Nonce.", StringComparison.Ordinal)))
        {
            jar.Add(cookie);
        }

        using var withoutNonce = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, CookieContainer = jar });

        using var answer = await withoutNonce.GetAsync(callback);

        answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"{answer.Headers.Location} {await answer.Content.ReadAsStringAsync()}");
        (await answer.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>().ShouldContain("does not match a sign-in started by this browser");
        jar.GetCookies(server.Url)["mizzen.session"].ShouldBeNull();
    }

    [Fact]
    public async Task With_sign_out_at_provider_the_ui_sign_out_ends_the_providers_session_and_comes_back_to_the_login_page()
    {
        await server.DisposeAsync();
        var auth = OidcAuth(provider);
        auth["Oidc"]!["SignOutAtProvider"] = true;
        server = await StartServerAsync(provider, auth);
        using var browser = Browser();
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        await OidcFlow.SignInAsync(browser, provider, "alice", "/");
        var home = await browser.GetStringAsync("/");
        var logoutForm = home[home.IndexOf("action=\"/auth/logout\"", StringComparison.Ordinal)..];
        logoutForm = logoutForm[..logoutForm.IndexOf("</form>", StringComparison.Ordinal)];
        var fields = HiddenInput().Matches(logoutForm).Select(m => KeyValuePair.Create(
            Regex.Match(m.Value, "\\bname=\"([^\"]*)\"").Groups[1].Value, WebUtility.HtmlDecode(Regex.Match(m.Value, "\\bvalue=\"([^\"]*)\"").Groups[1].Value)));

        using var signOut = await browser.PostAsync("/auth/logout", new FormUrlEncodedContent(fields));

        signOut.StatusCode.ShouldBe(HttpStatusCode.Redirect, await signOut.Content.ReadAsStringAsync());
        var endSession = signOut.Headers.Location!;
        endSession.GetLeftPart(UriPartial.Path).ShouldBe(new Uri(provider.Authority, TestIdentityProvider.EndSessionPath).AbsoluteUri);
        var query = QueryHelpers.ParseQuery(endSession.Query);
        query["client_id"].ToString().ShouldBe(TestIdentityProvider.ClientId);
        query["post_logout_redirect_uri"].ToString().ShouldBe(new Uri(server.Url, "/auth/oidc/signed-out").AbsoluteUri);
        query.ContainsKey("id_token_hint").ShouldBeFalse(); // no ID token is kept
        (await browser.GetFromJsonAsync<JsonObject>("/auth/user"))!["authenticated"]!.GetValue<bool>().ShouldBeFalse(); // signed out here already

        using var atProvider = await browser.GetAsync(endSession);
        atProvider.StatusCode.ShouldBe(HttpStatusCode.Redirect, await atProvider.Content.ReadAsStringAsync());
        atProvider.Headers.Location!.AbsolutePath.ShouldBe("/auth/oidc/signed-out");
        using var back = await browser.GetAsync(atProvider.Headers.Location);
        back.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        back.Headers.Location!.ToString().ShouldBe("/ui/login?signedOut=1");
        provider.EndSessionRequests.ShouldHaveSingleItem();
    }

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>")]
    private static partial Regex HiddenInput();

    private async Task<List<JsonObject>> AuditAsync(string action)
    {
        await server.Services.GetRequiredService<AuditLog>().FlushAsync(CancellationToken.None);
        using var admin = server.ClientWith(await server.TokenAsync("admin-person"));
        var audit = JsonNode.Parse(await admin.GetStringAsync($"/audit?action={action}&limit=50"))!;
        return [.. audit["entries"]!.AsArray().Select(e => e!.AsObject())];
    }
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Mizzen.Server.Security.Authentication;
using Mizzen.Server.Tests.Infrastructure;
using Mizzen.Server.Tests.Security;
using Mizzen.Testing.Ldap;

namespace Mizzen.Server.Tests.Ui;

/// <summary>
/// The session cookie and CSRF defences as a real browser (Debian's Chromium) sees them, signed in through the login page against a real
/// slapd: the cookie's flags over HTTPS (a self-signed certificate made here) and plain HTTP, that page script cannot read it, sign-out,
/// and forged requests from another site and from another port of the same host.
/// </summary>
public sealed class AuthBrowserTests(DirectoryFixture directory) : IClassFixture<DirectoryFixture>, IAsyncLifetime
{
    private const string Pipeline = """{"application":"shop","name":"release","stages":[{"refId":"1","type":"manualJudgment","name":"Approve"}]}""";

    private readonly RequestRecorder recorder = new();
    private UiBrowser browser = null!;
    private RunningServer server = null!;
    private string? thumbprint;

    public async Task InitializeAsync() => browser = await UiBrowser.LaunchAsync();

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>Mizzen with LDAP sign-in, alice an admin (through her directory group Deployers); over HTTPS when <paramref name="https"/>.</summary>
    private async Task StartServerAsync(bool https)
    {
        server = await RunningServer.StartAsync(demo: false, [("local", "21310-21319")], data =>
        {
            var path = Path.Combine(data, "mizzen.json");
            var settings = JsonNode.Parse(File.ReadAllText(path))!;
            settings["Mizzen"]!["Auth"] = new JsonObject
            {
                ["AdminRoles"] = new JsonArray("Deployers"),
                ["Ldap"] = new JsonObject
                {
                    ["Url"] = directory.Slapd.Url,
                    ["UserDnPattern"] = "uid={0}," + SlapdProcess.People,
                    ["GroupSearchBase"] = SlapdProcess.Groups,
                },
            };
            if (https)
            {
                var (certificate, key, print) = TestCertificate.Write(data);
                thumbprint = print;
                settings["Mizzen"]!["Https"] = new JsonObject { ["CertificateFile"] = certificate, ["KeyFile"] = key };
            }

            File.WriteAllText(path, settings.ToJsonString());
        }, services => services.AddSingleton<IStartupFilter>(recorder));
    }

    private async Task<IPage> OpenAsync()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.Url.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            IgnoreHTTPSErrors = true, // the test's own self-signed certificate
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ui/login\\?returnUrl=%2F$"));
        await page.GetByLabel("User name").FillAsync("alice");
        await page.GetByLabel("Password").FillAsync("alice-pw");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("who-am-i")).ToHaveTextAsync("alice");
    }

    private static async Task<BrowserContextCookiesResult?> SessionCookieAsync(IPage page) =>
        (await page.Context.CookiesAsync()).SingleOrDefault(c => c.Name == AuthenticationRegistration.CookieName);

    /// <summary>An API client of the server as alice with an API token (the admin reading back what happened).</summary>
    private async Task<HttpClient> AdminAsync()
    {
        var (_, secret) = await server.Services.GetRequiredService<ApiTokens>().CreateAsync("alice", "test", null, "full", CancellationToken.None);
        var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false };
        if (thumbprint is { } expected)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == expected;
        }

        var http = new HttpClient(handler) { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return http;
    }

    [Fact]
    public async Task Over_https_the_session_cookie_is_Secure_HttpOnly_and_SameSite_Lax_and_page_script_cannot_read_it()
    {
        await StartServerAsync(https: true);
        server.Url.Scheme.ShouldBe("https");
        var page = await OpenAsync();

        await SignInAsync(page);

        var session = (await SessionCookieAsync(page)).ShouldNotBeNull();
        session.Secure.ShouldBeTrue();
        session.HttpOnly.ShouldBeTrue();
        session.SameSite.ShouldBe(SameSiteAttribute.Lax);
        session.Domain.ShouldBe("127.0.0.1");
        var antiforgery = (await page.Context.CookiesAsync()).Where(c => c.Name.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal)).ShouldHaveSingleItem();
        antiforgery.HttpOnly.ShouldBeTrue();
        antiforgery.SameSite.ShouldBe(SameSiteAttribute.Strict);
        antiforgery.Secure.ShouldBeTrue();

        (await page.EvaluateAsync<string>("() => document.cookie")).ShouldNotContain(AuthenticationRegistration.CookieName);
        var me = await page.EvaluateAsync<JsonElement>("async () => (await fetch('/auth/user')).json()"); // the browser still sends it
        me.GetProperty("username").GetString().ShouldBe("alice");
        me.GetProperty("authenticated").GetBoolean().ShouldBeTrue();
        using var admin = await AdminAsync();
        (await admin.GetFromJsonAsync<JsonObject>("/auth/user"))!["admin"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Over_plain_http_the_cookie_is_HttpOnly_and_Lax_but_not_Secure_and_signing_out_clears_it_so_the_next_page_asks_to_sign_in()
    {
        await StartServerAsync(https: false);
        var page = await OpenAsync();
        await SignInAsync(page);

        var session = (await SessionCookieAsync(page)).ShouldNotBeNull();
        session.Secure.ShouldBeFalse(); // SameAsRequest: a browser would drop a Secure cookie set over http
        session.HttpOnly.ShouldBeTrue();
        session.SameSite.ShouldBe(SameSiteAttribute.Lax);
        (await WhoWithCookieAsync(session.Value)).ShouldBe("alice"); // a copy of the cookie works while the session lasts

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ui/login\\?signedOut=1$"));
        (await SessionCookieAsync(page)).ShouldBeNull();
        await page.GotoAsync("/ui/applications/shop");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ui/login\\?returnUrl=%2Fui%2Fapplications%2Fshop$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        recorder.Seen.ShouldContain(r => r.Method == "POST" && r.Path == "/auth/logout" && r.WithSessionCookie && r.Status == 302);
        (await WhoWithCookieAsync(session.Value)).ShouldBeNull(); // and none after signing out: the session ended on the server
    }

    /// <summary>Who <c>GET /auth/user</c> says the caller is when it sends <paramref name="cookie"/> as the session cookie (null: nobody).</summary>
    private async Task<string?> WhoWithCookieAsync(string cookie)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false }) { BaseAddress = server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/user");
        request.Headers.Add("Cookie", $"{AuthenticationRegistration.CookieName}={cookie}");
        var me = await (await http.SendAsync(request)).Content.ReadFromJsonAsync<JsonObject>();
        return me!["authenticated"]!.GetValue<bool>() ? me["username"]!.GetValue<string>() : null;
    }

    [Fact]
    public async Task Pages_on_another_site_or_another_port_cannot_make_the_signed_in_browser_trigger_cancel_create_or_sign_out()
    {
        await StartServerAsync(https: false);
        using var admin = await AdminAsync();
        (await admin.PostAsJsonAsync("/applications", new { name = "shop", email = "team@example.com" })).EnsureSuccessStatusCode();
        (await admin.PostAsync("/pipelines", new StringContent(Pipeline, System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        using var started = await admin.PostAsync("/pipelines/shop/release", null);
        started.EnsureSuccessStatusCode();
        var runId = (await started.Content.ReadFromJsonAsync<JsonObject>())!["ref"]!.GetValue<string>()["/pipelines/".Length..];
        await Eventually.GetAsync(async () => (await admin.GetFromJsonAsync<JsonObject>($"/pipelines/{runId}"))!["status"]!.GetValue<string>() == "RUNNING" ? "" : null,
            TimeSpan.FromSeconds(30), "the run waiting for its judgment");

        var page = await OpenAsync();
        await SignInAsync(page);
        await using var attacker = await AttackerSite.StartAsync(server.Url);
        var victim = server.Url.ToString().TrimEnd('/');

        // Another site (localhost is not 127.0.0.1): the browser does not send the SameSite=Lax cookie with any of it.
        var crossSite = $"http://localhost:{attacker.Port}";
        var crossSiteFetches = await ForgeAsync(page, crossSite, victim, runId);
        // The same site on another port (say an app Mizzen deployed on 127.0.0.1): the cookie goes along, the origin check refuses it.
        var sameSite = $"http://127.0.0.1:{attacker.Port}";
        var sameSiteFetches = await ForgeAsync(page, sameSite, victim, runId);

        // A POST with no body and no type is a "simple" request: it is sent, and its answer hidden from the page.
        crossSiteFetches["trigger"].ShouldBe("sent");
        sameSiteFetches["trigger"].ShouldBe("sent");
        ShouldBeRefused(crossSite, "POST", "/pipelines/shop/release", withCookie: false, 401, times: 1); // the fetch: not signed in
        ShouldBeRefused(crossSite, "POST", "/pipelines/shop/release", withCookie: false, 415, times: 1); // the form: not JSON
        ShouldBeRefused(crossSite, "POST", "/applications", withCookie: false, 415, times: 1);
        ShouldBeRefused(crossSite, "POST", "/auth/logout", withCookie: false, 400, times: 1); // no antiforgery token in the form
        ShouldBeRefused(crossSite, "GET", "/_blazor", withCookie: false, 401, times: 1); // the UI's live connection: not signed in
        ShouldBeRefused(sameSite, "POST", "/pipelines/shop/release", withCookie: true, 403, times: 2); // the form and the fetch
        ShouldBeRefused(sameSite, "POST", "/applications", withCookie: true, 403, times: 1);
        ShouldBeRefused(sameSite, "POST", "/auth/logout", withCookie: true, 403, times: 1);
        ShouldBeRefused(sameSite, "GET", "/_blazor", withCookie: true, 403, times: 1);

        // PUT, and a JSON body, need a CORS preflight, which Mizzen never grants: the browser does not send the request at all.
        foreach (var fetches in new[] { crossSiteFetches, sameSiteFetches })
        {
            fetches["cancel"].ShouldStartWith("blocked");
            fetches["create"].ShouldStartWith("blocked");
            fetches["socket"].ShouldBe("refused");
        }

        recorder.Seen.ShouldNotContain(r => r.Method == "PUT");
        recorder.Seen.Where(r => r.Method == "POST" && r.Path == "/applications" && r.Origin.Length > 0).Count().ShouldBe(2); // the two forms only

        // Nothing happened: one run, still waiting; no forged application; alice still signed in.
        var runs = (await admin.GetFromJsonAsync<JsonArray>("/applications/shop/pipelines"))!;
        runs.Select(r => r!["id"]!.GetValue<string>()).ShouldBe([runId]);
        runs[0]!["status"]!.GetValue<string>().ShouldBe("RUNNING");
        (await admin.GetAsync("/applications/forged-by-form")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        (await admin.GetAsync("/applications/forged-by-fetch")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        await page.GotoAsync(victim + "/");
        await Assertions.Expect(page.GetByTestId("who-am-i")).ToHaveTextAsync("alice");
    }

    [Fact]
    public async Task A_change_from_the_servers_own_live_page_with_the_session_cookie_but_without_the_antiforgery_token_is_refused()
    {
        await StartServerAsync(https: false);
        using var admin = await AdminAsync();
        (await admin.PostAsJsonAsync("/applications", new { name = "shop", email = "team@example.com" })).EnsureSuccessStatusCode();
        (await admin.PostAsync("/pipelines", new StringContent(Pipeline, System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var page = await OpenAsync();
        await SignInAsync(page);
        await page.GotoAsync("/ui/applications/shop/executions");
        await Assertions.Expect(page.Locator("[data-live=true]")).ToHaveCountAsync(1); // the page's own live connection (same origin) is let in

        var without = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = await fetch('/applications', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                                       body: JSON.stringify({ name: 'no-token', email: 'x@example.com' }) });
              return { status: r.status, body: await r.json() };
            }
            """);
        without.GetProperty("status").GetInt32().ShouldBe(403);
        without.GetProperty("body").GetProperty("title").GetString().ShouldBe("Antiforgery token required");
        var trigger = await page.EvaluateAsync<int>("async () => (await fetch('/pipelines/shop/release', { method: 'POST' })).status");
        trigger.ShouldBe(403);

        // The same request with the page's own token (what only a page of this server can read) goes through: the token is what was missing.
        var with = await page.EvaluateAsync<int>("""
            async () => {
              const token = document.querySelector('input[name=__RequestVerificationToken]').value;
              const r = await fetch('/applications', { method: 'POST', headers: { 'Content-Type': 'application/json', 'RequestVerificationToken': token },
                                                       body: JSON.stringify({ name: 'with-token', email: 'x@example.com' }) });
              return r.status;
            }
            """);
        with.ShouldBeInRange(200, 299);
        (await admin.GetAsync("/applications/no-token")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        (await admin.GetAsync("/applications/with-token")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        (await admin.GetFromJsonAsync<JsonArray>("/applications/shop/pipelines"))!.ShouldBeEmpty();
    }

    /// <summary>
    /// From <paramref name="origin"/>: the three auto-submitting forms (each navigates the tab to Mizzen's answer), then three fetches with
    /// <c>credentials: 'include'</c> — a body-less trigger, a cancel (PUT) and a JSON create — and a WebSocket to the UI's live connection
    /// (Blazor's hub). Answers what became of each.
    /// </summary>
    private async Task<Dictionary<string, string>> ForgeAsync(IPage page, string origin, string victim, string runId)
    {
        foreach (var (form, path) in new[] { ("create-application", "/applications"), ("trigger", "/pipelines/shop/release"), ("logout", "/auth/logout") })
        {
            var before = recorder.Seen.Count(r => r.Origin == origin && r.Path == path);
            await page.GotoAsync($"{origin}/{form}");
            await Eventually.GetAsync(() => Task.FromResult(recorder.Seen.Count(r => r.Origin == origin && r.Path == path) > before ? "" : null),
                TimeSpan.FromSeconds(20), $"the forged {form} form from {origin} to reach the server");
        }

        await page.GotoAsync($"{origin}/blank");
        var outcome = await page.EvaluateAsync<Dictionary<string, string>>("""
            async ([victim, runId]) => {
              const attempt = async (send) => { try { await send(); return 'sent'; } catch (e) { return 'blocked: ' + e.message; } };
              return {
                trigger: await attempt(() => fetch(victim + '/pipelines/shop/release', { method: 'POST', mode: 'no-cors', credentials: 'include' })),
                cancel: await attempt(() => fetch(victim + '/pipelines/' + runId + '/cancel', { method: 'PUT', credentials: 'include' })),
                create: await attempt(() => fetch(victim + '/applications', { method: 'POST', credentials: 'include',
                  headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'forged-by-fetch', email: 'evil@example.com' }) })),
                socket: await new Promise(resolve => {
                  const socket = new WebSocket(victim.replace(/^http/, 'ws') + '/_blazor');
                  socket.onopen = () => { socket.close(); resolve('opened'); };
                  socket.onerror = () => resolve('refused');
                }),
              };
            }
            """, new[] { victim, runId });
        await Eventually.GetAsync(() => Task.FromResult(recorder.Seen.Count(r => r.Origin == origin && r.Path == "/pipelines/shop/release") >= 2 ? "" : null),
            TimeSpan.FromSeconds(20), $"the forged trigger fetch from {origin} to reach the server");
        await Eventually.GetAsync(() => Task.FromResult(recorder.Seen.Any(r => r.Origin == origin && r.Path == "/_blazor") ? "" : null),
            TimeSpan.FromSeconds(20), $"the WebSocket from {origin} to reach the server");
        return outcome;
    }

    private void ShouldBeRefused(string origin, string method, string path, bool withCookie, int status, int times)
    {
        var seen = recorder.Seen.Where(r => r.Origin == origin && r.Method == method && r.Path == path).ToList();
        seen.Count(r => r.WithSessionCookie == withCookie && r.Status == status).ShouldBe(times,
            $"{method} {path} from {origin}: {string.Join("; ", seen.Select(r => $"cookie={r.WithSessionCookie} status={r.Status}"))}");
    }
}

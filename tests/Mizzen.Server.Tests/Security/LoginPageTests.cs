using System.Net;
using System.Text.RegularExpressions;
using Mizzen.Server.Tests.Infrastructure;
using Mizzen.Testing.Ldap;

namespace Mizzen.Server.Tests.Security;

/// <summary>The UI's sign-in: the login page's form (with its antiforgery token) against a real slapd, the session cookie, who-am-I, sign-out.</summary>
public sealed partial class LoginPageTests(DirectoryFixture directory) : IClassFixture<DirectoryFixture>, IAsyncLifetime
{
    private readonly CookieContainer cookies = new();
    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await AuthServers.StartAsync(new()
    {
        ["Ldap"] = new System.Text.Json.Nodes.JsonObject
        {
            ["Url"] = directory.Slapd.Url,
            ["UserDnPattern"] = "uid={0}," + SlapdProcess.People,
            ["GroupSearchBase"] = SlapdProcess.Groups,
        },
    });

    public async Task DisposeAsync() => await server.DisposeAsync();

    private HttpClient Browser()
    {
        var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = server.Url };
        http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        return http;
    }

    [Fact]
    public async Task A_user_signs_in_through_the_form_lands_on_the_page_asked_for_sees_who_they_are_and_signs_out()
    {
        using var browser = Browser();
        var first = await browser.GetAsync("/ui/applications/shop");
        first.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var loginUrl = first.Headers.Location!.ToString();

        var page = await browser.GetStringAsync(loginUrl);
        page.ShouldContain("<label for=\"login-username\">User name</label>");
        var stylesheet = StylesheetHref().Match(page).Groups[1].Value;
        (await browser.GetAsync("/" + stylesheet.TrimStart('/'))).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var signedIn = await browser.PostAsync("/auth/login", Form(page, ("username", "alice"), ("password", "alice-pw")));
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        signedIn.Headers.Location!.ToString().ShouldBe("/ui/applications/shop");

        var home = await browser.GetStringAsync("/");
        WhoAmI().Match(home).Groups[1].Value.ShouldBe("alice");

        using var signedOut = await browser.PostAsync("/auth/logout", Form(home));
        signedOut.Headers.Location!.ToString().ShouldBe("/ui/login?signedOut=1");
        (await browser.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_wrong_password_comes_back_to_the_form_with_the_same_message_as_an_unknown_user()
    {
        using var browser = Browser();
        var page = await browser.GetStringAsync("/ui/login?returnUrl=%2F");

        using var wrong = await browser.PostAsync("/auth/login", Form(page, ("username", "alice"), ("password", "nope")));
        using var unknown = await browser.PostAsync("/auth/login", Form(page, ("username", "zed"), ("password", "nope")));

        wrong.Headers.Location!.ToString().ShouldBe("/ui/login?error=credentials&returnUrl=%2F");
        unknown.Headers.Location!.ToString().ShouldBe(wrong.Headers.Location!.ToString());
        (await browser.GetStringAsync(wrong.Headers.Location!.ToString())).ShouldContain("the user name or password is wrong");
    }

    [Fact]
    public async Task A_form_without_the_antiforgery_token_or_from_another_site_signs_nobody_in()
    {
        using var browser = Browser();
        await browser.GetStringAsync("/ui/login");

        using var forged = await browser.PostAsync("/auth/login", new FormUrlEncodedContent([new("username", "alice"), new("password", "alice-pw")]));
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = Form(await browser.GetStringAsync("/ui/login"), ("username", "alice"), ("password", "alice-pw")) };
        crossSite.Headers.Add("Origin", "https://evil.example");
        using var crossSiteAnswer = await browser.SendAsync(crossSite);

        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await forged.Content.ReadAsStringAsync()).ShouldContain("the sign-in form has expired or did not come from this server");
        crossSiteAnswer.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        cookies.GetCookies(server.Url).Select(c => c.Name).ShouldNotContain("mizzen.session");
    }

    private static FormUrlEncodedContent Form(string page, params (string Name, string Value)[] fields) =>
        new([new("__RequestVerificationToken", AntiforgeryField().Match(page).Groups[1].Value), .. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))]);

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"([^\"]+)\"")]
    private static partial Regex StylesheetHref();

    [GeneratedRegex("data-testid=\"who-am-i\"[^>]*>([^<]+)<")]
    private static partial Regex WhoAmI();
}

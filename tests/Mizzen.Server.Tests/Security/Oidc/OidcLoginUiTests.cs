using Microsoft.Playwright;
using Mizzen.Server.Tests.Infrastructure;
using Mizzen.Server.Tests.Ui;
using Mizzen.Testing.Oidc;

namespace Mizzen.Server.Tests.Security.Oidc;

/// <summary>
/// The login page's OIDC button in a real browser (Debian's Chromium): a page asked for while signed out, the login page, the button,
/// the test identity provider (which approves the user the test named), and back on the page asked for, signed in with a session
/// cookie that scripts cannot read.
/// </summary>
public sealed class OidcLoginUiTests : IAsyncLifetime
{
    private UiBrowser browser = null!;
    private TestIdentityProvider provider = null!;
    private RunningServer server = null!;

    public async Task InitializeAsync()
    {
        browser = await UiBrowser.LaunchAsync();
        provider = await TestIdentityProvider.StartAsync(new TestIdentityUser("alice", "deployers", "viewers"));
        server = await OidcLoginTests.StartServerAsync(provider, OidcLoginTests.OidcAuth(provider));
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        await server.DisposeAsync();
        await provider.DisposeAsync();
    }

    [Fact]
    public async Task The_button_signs_in_at_the_provider_and_lands_on_the_page_asked_for()
    {
        provider.NextUser = "alice";
        var page = await browser.OpenAsync(server.Url);

        await page.GotoAsync("/ui/canary-configs");
        await page.WaitForURLAsync(url => url.Contains("/ui/login", StringComparison.Ordinal));
        var button = page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Test IdP" });
        await Assertions.Expect(button).ToBeVisibleAsync();
        await UiBrowser.ScreenshotAsync(page, "login-oidc");
        await button.FocusAsync();
        await page.Keyboard.PressAsync("Enter"); // reachable from the keyboard

        await page.WaitForURLAsync(url => url.EndsWith("/ui/canary-configs", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("who-am-i")).ToHaveTextAsync("alice");
        await Assertions.Expect(page.GetByTestId("who-am-i")).ToHaveAttributeAsync("title", "deployers, viewers");
        var session = (await page.Context.CookiesAsync()).Single(c => c.Name == "mizzen.session");
        session.HttpOnly.ShouldBeTrue();
        session.SameSite.ShouldBe(SameSiteAttribute.Lax);
        (await page.EvaluateAsync<string>("document.cookie")).ShouldNotContain("mizzen.session");
        provider.AuthorizationRequests.ShouldHaveSingleItem()["code_challenge_method"].ShouldBe("S256");
    }
}

using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Mizzen.Testing.Oidc;

namespace Mizzen.Server.Tests.Security.Oidc;

/// <summary>
/// A browser's part of the authorization code flow, one redirect at a time with the browser's cookie jar: Mizzen's start route, the
/// provider's authorization endpoint (naming the user with <c>login_hint</c>, which the test provider approves at once), Mizzen's callback.
/// </summary>
internal static class OidcFlow
{
    /// <summary>Up to the provider's answer: the callback address (with the code and state) the provider sent the browser to.</summary>
    public static async Task<Uri> AuthorizeAsync(HttpClient browser, TestIdentityProvider provider, string user, string returnUrl)
    {
        using var start = await browser.GetAsync($"/auth/oidc/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        start.StatusCode.ShouldBe(HttpStatusCode.Redirect, await start.Content.ReadAsStringAsync());
        var authorize = start.Headers.Location!;
        authorize.GetLeftPart(UriPartial.Path).ShouldBe(new Uri(provider.Authority, TestIdentityProvider.AuthorizePath).AbsoluteUri);

        using var answer = await browser.GetAsync(QueryHelpers.AddQueryString(authorize.AbsoluteUri, "login_hint", user));
        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect, await answer.Content.ReadAsStringAsync());
        var callback = answer.Headers.Location!;
        callback.AbsolutePath.ShouldBe("/auth/oidc/callback");
        return callback;
    }

    /// <summary>The whole flow; returns where Mizzen sent the browser at the end (the return address, or the login page with an error).</summary>
    public static async Task<string> SignInAsync(HttpClient browser, TestIdentityProvider provider, string user, string returnUrl, bool expectSession = true)
    {
        var callback = await AuthorizeAsync(browser, provider, user, returnUrl);
        using var signedIn = await browser.GetAsync(callback);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        var setCookies = signedIn.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        setCookies.Any(c => c.StartsWith("mizzen.session=", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
            .ShouldBe(expectSession, string.Join("\n", setCookies));
        return signedIn.Headers.Location!.ToString();
    }
}

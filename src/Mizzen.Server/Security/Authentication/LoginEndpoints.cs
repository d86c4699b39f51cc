using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Mizzen.Core.Errors;
using Mizzen.Server.Audit;
using Mizzen.Server.Errors;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// <c>POST /auth/login</c> (a JSON body from the CLI and scripts, or the login page's form, antiforgery-checked) and <c>POST /auth/logout</c>.
/// A JSON login answers with the session cookie, or with a new API token when called with <c>?as=token</c> (what <c>mizzen login</c> does).
/// </summary>
public static class LoginEndpoints
{
    public static IEndpointRouteBuilder MapLoginEndpoints(this IEndpointRouteBuilder routes)
    {
        // The form's antiforgery token is checked by UseAntiforgery (this metadata), and by the handler only for forms: a JSON body cannot
        // be sent across sites without a CORS preflight, which this server never grants.
        routes.MapPost("/auth/login", LoginAsync).WithMetadata(new RequireAntiforgeryTokenAttribute(true)).WithTags("Authentication");
        routes.MapPost("/auth/logout", LogoutAsync).WithMetadata(new RequireAntiforgeryTokenAttribute(true)).WithTags("Authentication");
        return routes;
    }

    private static async Task<IResult> LoginAsync(HttpContext http, PasswordLogin login, ApiTokens tokens, IAuditLog audit, string? @as, CancellationToken ct)
    {
        var form = IsForm(http.Request);
        string user, password, returnUrl = "/";
        string? tokenName = null;
        if (form)
        {
            if (http.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
            {
                return Problem(http, StatusCodes.Status400BadRequest, "Form expired", "the sign-in form has expired or did not come from this server: reload the page and sign in again");
            }

            var fields = await http.Request.ReadFormAsync(ct);
            (user, password) = (fields["username"].ToString(), fields["password"].ToString());
            returnUrl = LocalOnly(fields["returnUrl"].ToString());
        }
        else
        {
            var body = await RequestBody.ReadObjectAsync(http.Request, ct);
            user = AuthEndpoints.Text(body, "username") ?? throw new ValidationException("username", "username is required");
            password = AuthEndpoints.Text(body, "password") ?? throw new ValidationException("password", "password is required");
            tokenName = AuthEndpoints.Text(body, "tokenName");
        }

        if (!login.Available)
        {
            if (form)
            {
                return Results.Redirect($"{SignInRequirement.LoginPage}?error=unavailable");
            }

            throw new ConflictException("signing in with a password needs an LDAP directory: configure Mizzen:Auth:Ldap (docs/authentication.md)");
        }

        var outcome = await login.SignInAsync(user, password, http.Connection.RemoteIpAddress?.ToString(), ct);
        if (outcome.Principal is null)
        {
            audit.Record(new AuditEntry("login.failed", $"user:{user.Trim()}")
            {
                User = user.Trim(),
                Detail = outcome.RetryAfter > TimeSpan.Zero ? "slowed down after repeated failures" : "wrong user name or password",
            });
            var (status, detail) = outcome.RetryAfter > TimeSpan.Zero
                ? (StatusCodes.Status429TooManyRequests, $"too many failed sign-ins: try again in {Math.Ceiling(outcome.RetryAfter.TotalSeconds):0} seconds")
                : (StatusCodes.Status401Unauthorized, PasswordLogin.WrongCredentials);
            if (outcome.RetryAfter > TimeSpan.Zero)
            {
                http.Response.Headers.RetryAfter = Math.Ceiling(outcome.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            // The page shows its own text for a code (a message taken from the address could be made to say anything).
            var code = outcome.RetryAfter > TimeSpan.Zero ? $"throttled&retryAfter={Math.Ceiling(outcome.RetryAfter.TotalSeconds):0}" : "credentials";
            return form
                ? Results.Redirect($"{SignInRequirement.LoginPage}?error={code}&returnUrl={Uri.EscapeDataString(returnUrl)}")
                : Problem(http, status, "Sign-in failed", detail);
        }

        var name = MizzenAuth.UserName(outcome.Principal);
        audit.Record(new AuditEntry("login.succeeded", $"user:{name}") { User = name, Detail = "ldap" });
        if (string.Equals(@as, "token", StringComparison.OrdinalIgnoreCase))
        {
            var (info, secret) = await tokens.CreateAsync(name, tokenName ?? "mizzen login", null, MizzenAuth.FullScope,
                created => audit.Stamp(AuthEndpoints.TokenCreated(created, name)), ct);
            return TypedResults.Created($"/auth/tokens/{info.Id}", new AuthEndpoints.CreatedToken(info, secret));
        }

        await http.SignInAsync(AuthenticationRegistration.CookieScheme, outcome.Principal);
        return form ? Results.Redirect(returnUrl) : TypedResults.Ok(new { username = name, roles = MizzenAuth.Roles(outcome.Principal) });
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, IAuditLog audit, Microsoft.Extensions.Options.IOptions<AuthOptions> options)
    {
        var form = IsForm(http.Request);
        if (form && http.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
        {
            return Problem(http, StatusCodes.Status400BadRequest, "Form expired", "the sign-out form has expired or did not come from this server: reload the page");
        }

        if (http.User.Identity is { IsAuthenticated: true })
        {
            audit.Record(new AuditEntry("logout", $"user:{MizzenAuth.UserName(http.User)}"));
        }

        await http.SignOutAsync(AuthenticationRegistration.CookieScheme);
        if (form && await OidcSignIn.SignOutAtProviderAsync(http, options.Value.Oidc, http.User))
        {
            return Results.Empty; // on to the provider's end_session_endpoint, which sends the browser back to the login page
        }

        return form ? Results.Redirect("/ui/login?signedOut=1") : Results.NoContent();
    }

    /// <summary>A form post (read from the header: the request's form feature refuses to answer while the antiforgery check failed).</summary>
    private static bool IsForm(HttpRequest request) =>
        request.ContentType is { } type
        && (type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) || type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase));

    /// <summary>A return address on this server only (an open redirect would help phishing).</summary>
    private static string LocalOnly(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";

    private static IResult Problem(HttpContext http, int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = http.Request.Path });
}

using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Mizzen.Core.Errors;
using Mizzen.Core.Secrets;
using Mizzen.Server.Audit;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// Signing in with an OpenID Connect provider (<c>Mizzen:Auth:Oidc</c>): ASP.NET's OpenID Connect handler runs the authorization code
/// flow with PKCE (response mode query, so the answer comes back as a top-level GET that carries SameSite=Lax cookies), then this class
/// turns the provider's claims into Mizzen's identity contract (<see cref="MizzenAuth.Principal"/>: the user name claim, the groups claim
/// as roles, remembered through <see cref="IUserRoles"/> so the user's API tokens see the same roles) and signs into the session cookie.
/// No provider token is kept: the session (stored on the server; the cookie carries its id) holds only the name, the roles and how the user signed in.
/// Failures get answers a person can act on: a provider that does not answer is a 502 naming it, a state or nonce that does not match a
/// sign-in this browser started is a 400, and a provider that refuses (or an answer Mizzen cannot use) sends the user back to the login
/// page with a message. Every outcome is audited as <c>login.succeeded</c> / <c>login.failed</c> with source <c>oidc</c>.
/// </summary>
public static partial class OidcSignIn
{
    public const string Scheme = "oidc";
    public const string LoginPath = "/auth/oidc/login";
    public const string CallbackPath = "/auth/oidc/callback";
    public const string SignedOutCallbackPath = "/auth/oidc/signed-out";
    public const string Source = "oidc";
    private const string Section = "Mizzen:Auth:Oidc";

    /// <summary>Refuses a configuration the handler could not use, naming the setting (at start, not at the first sign-in).</summary>
    public static void Validate(OidcOptions oidc)
    {
        if (!Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp))
        {
            throw new AuthConfigurationException($"{Section}:Authority", $"'{oidc.Authority}' is not an http(s) URL: give the provider's issuer URL (its discovery document is at /.well-known/openid-configuration)");
        }

        if (authority.Scheme == Uri.UriSchemeHttp && oidc.RequireHttpsMetadata)
        {
            throw new AuthConfigurationException($"{Section}:RequireHttpsMetadata",
                $"the provider {oidc.Authority} is not on HTTPS: use its https:// URL, or set {Section}:RequireHttpsMetadata to false for a provider on loopback only");
        }

        if (string.IsNullOrWhiteSpace(oidc.ClientId))
        {
            throw new AuthConfigurationException($"{Section}:ClientId", $"OIDC sign-in ({Section}:Authority is set) needs the client id registered for Mizzen at the provider");
        }

        if (string.IsNullOrWhiteSpace(oidc.UserNameClaim))
        {
            throw new AuthConfigurationException($"{Section}:UserNameClaim", "the claim that names the user may not be empty (default preferred_username)");
        }
    }

    /// <summary>Adds the OpenID Connect handler (scheme <see cref="Scheme"/>), signing into the session cookie.</summary>
    public static AuthenticationBuilder AddMizzenOidc(this AuthenticationBuilder builder, OidcOptions oidc)
    {
        Validate(oidc);
        var secretReference = SecretReferences.ContainsReference(oidc.ClientSecret);
        return builder.AddOpenIdConnect(Scheme, oidc.DisplayName, o =>
        {
            o.Authority = oidc.Authority;
            o.ClientId = oidc.ClientId;
            o.ClientSecret = secretReference ? null : oidc.ClientSecret; // a reference is resolved when a code is redeemed
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.UsePkce = true;
            o.SaveTokens = false;
            o.MapInboundClaims = false;
            o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            o.BackchannelTimeout = oidc.Timeout;
            o.CallbackPath = CallbackPath;
            o.SignedOutCallbackPath = SignedOutCallbackPath;
            o.RemoteSignOutPath = PathString.Empty; // no front-channel logout: any site could sign a user out with a GET
            o.SignedOutRedirectUri = SignInRequirement.LoginPage + "?signedOut=1";
            o.SignInScheme = AuthenticationRegistration.CookieScheme;
            o.SignOutScheme = AuthenticationRegistration.CookieScheme;
            o.TokenValidationParameters.NameClaimType = oidc.UserNameClaim;
            o.TokenValidationParameters.RoleClaimType = oidc.GroupsClaim;
            foreach (var scope in oidc.Scopes.Where(s => !o.Scope.Contains(s)))
            {
                o.Scope.Add(scope);
            }

            o.GetClaimsFromUserInfoEndpoint = oidc.GetClaimsFromUserInfoEndpoint;
            if (oidc.GetClaimsFromUserInfoEndpoint)
            {
                o.ClaimActions.MapJsonKey(oidc.UserNameClaim, oidc.UserNameClaim);
                o.ClaimActions.MapJsonKey(oidc.GroupsClaim, oidc.GroupsClaim);
            }

            // The correlation and nonce cookies come back on the provider's top-level GET redirect: Lax is enough, and plain HTTP on
            // loopback must work (the defaults, SameSite=None and Secure, would be dropped there).
            foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
            {
                cookie.SameSite = SameSiteMode.Lax;
                cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }

            o.Events = new OpenIdConnectEvents
            {
                OnAuthorizationCodeReceived = context =>
                {
                    if (secretReference)
                    {
                        context.TokenEndpointRequest!.ClientSecret = SecretReferences.Resolve(
                            oidc.ClientSecret!, context.HttpContext.RequestServices.GetService<ISecretStore>(), pipelineField: false, new HashSet<string>(StringComparer.Ordinal));
                    }

                    return Task.CompletedTask;
                },
                OnRedirectToIdentityProviderForSignOut = context =>
                {
                    context.ProtocolMessage.ClientId = oidc.ClientId; // no ID token is kept for id_token_hint: the client id names the session's client
                    return Task.CompletedTask;
                },
                OnTicketReceived = context => SignedInAsync(context, oidc),
                OnAccessDenied = context =>
                {
                    Refused(context.HttpContext, "the identity provider refused the sign-in (access_denied)");
                    context.Response.Redirect(LoginPage("oidc-denied", context.ReturnUrl));
                    context.HandleResponse();
                    return Task.CompletedTask;
                },
                OnRemoteFailure = context => FailedAsync(context, oidc),
            };
        });
    }

    /// <summary>Sends the browser to the provider; a provider that does not answer is a 502 naming it.</summary>
    public static async Task<IResult> ChallengeAsync(HttpContext http, OidcOptions oidc, string returnUrl)
    {
        try
        {
            await http.ChallengeAsync(Scheme, new AuthenticationProperties { RedirectUri = returnUrl });
            return Results.Empty;
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            Refused(http, $"the identity provider {oidc.Authority} did not answer");
            LogUnreachable(Logger(http), oidc.Authority!, Reason(e));
            return Problem(http, StatusCodes.Status502BadGateway, "Identity provider unavailable", Unavailable(oidc, e));
        }
    }

    /// <summary>
    /// Ends the session at the provider too (RP-initiated logout) when <see cref="OidcOptions.SignOutAtProvider"/> is on and the user signed in
    /// through it; false when nothing was sent (the caller answers as for any sign-out).
    /// </summary>
    public static async Task<bool> SignOutAtProviderAsync(HttpContext http, OidcOptions oidc, ClaimsPrincipal user)
    {
        if (!oidc.IsConfigured || !oidc.SignOutAtProvider || user.FindFirst(MizzenAuth.MethodClaim)?.Value != Source)
        {
            return false;
        }

        try
        {
            await http.SignOutAsync(Scheme, new AuthenticationProperties { RedirectUri = SignInRequirement.LoginPage + "?signedOut=1" });
            return http.Response.StatusCode is >= 300 and < 400;
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            LogUnreachable(Logger(http), oidc.Authority!, Reason(e));
            return false; // signed out here; the provider's session ends when it expires
        }
    }

    /// <summary>The group claim's values: several claims (a JSON array in the token), one string, or one claim holding a JSON array.</summary>
    internal static IReadOnlyList<string> Groups(ClaimsPrincipal principal, string claim) =>
        [.. principal.FindAll(claim).SelectMany(c => Values(c.Value)).Select(g => g.Trim()).Where(g => g.Length > 0).Distinct(StringComparer.Ordinal)];

    private static IEnumerable<string> Values(string value)
    {
        if (!value.TrimStart().StartsWith('['))
        {
            return [value];
        }

        try
        {
            using var array = JsonDocument.Parse(value);
            return [.. array.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];
        }
        catch (JsonException)
        {
            return [value];
        }
    }

    private static async Task SignedInAsync(TicketReceivedContext context, OidcOptions oidc)
    {
        var http = context.HttpContext;
        var claims = context.Principal!;
        var name = claims.FindFirst(oidc.UserNameClaim)?.Value.Trim();
        if (string.IsNullOrEmpty(name))
        {
            var subject = claims.FindFirst("sub")?.Value ?? "unknown";
            Refused(http, $"the identity provider's answer for subject '{subject}' has no '{oidc.UserNameClaim}' claim ({Section}:UserNameClaim)");
            LogNoUserName(Logger(http), subject, oidc.UserNameClaim);
            context.Response.Redirect(LoginPage("oidc-claims", context.ReturnUri));
            context.HandleResponse();
            return;
        }

        var roles = http.RequestServices.GetRequiredService<IUserRoles>();
        await roles.RememberLoginAsync(name, Groups(claims, oidc.GroupsClaim), Source, http.RequestAborted);
        context.Principal = MizzenAuth.Principal(name, await roles.GetRolesAsync(name, http.RequestAborted), Source, Source);
        context.Properties = new AuthenticationProperties(); // nothing of the flow (state items, provider tokens) goes into the cookie
        http.RequestServices.GetRequiredService<IAuditLog>().Record(new AuditEntry("login.succeeded", $"user:{name}") { User = name, Detail = Source });
    }

    private static async Task FailedAsync(RemoteFailureContext context, OidcOptions oidc)
    {
        var http = context.HttpContext;
        var failure = context.Failure ?? new InvalidOperationException("the sign-in failed");
        var returnUrl = context.Properties?.RedirectUri;
        context.HandleResponse();
        if (IsUnreachable(failure))
        {
            Refused(http, $"the identity provider {oidc.Authority} did not answer");
            LogUnreachable(Logger(http), oidc.Authority!, Reason(failure));
            await Problem(http, StatusCodes.Status502BadGateway, "Identity provider unavailable", Unavailable(oidc, failure)).ExecuteAsync(http);
        }
        else if (failure is AuthenticationFailureException or OpenIdConnectProtocolInvalidNonceException or OpenIdConnectProtocolInvalidStateException)
        {
            // The state (with its correlation cookie) or the nonce does not belong to a sign-in this browser started: a forged or replayed
            // answer, or one that took longer than the cookies last.
            Refused(http, $"the sign-in answer did not match a sign-in this browser started ({failure.Message})");
            LogRefused(Logger(http), Reason(failure));
            await Problem(http, StatusCodes.Status400BadRequest, "Sign-in failed",
                $"the identity provider's answer does not match a sign-in started by this browser ({failure.Message}): start again at {SignInRequirement.LoginPage}").ExecuteAsync(http);
        }
        else if (failure is MizzenException configuration)
        {
            Refused(http, "Mizzen's OIDC configuration is incomplete");
            LogRefused(Logger(http), configuration.Message);
            await Problem(http, StatusCodes.Status503ServiceUnavailable, "Sign-in misconfigured", $"{Section}:ClientSecret: {configuration.Message}").ExecuteAsync(http);
        }
        else
        {
            // The provider answered with an error (its own, or the token endpoint's), or with a token Mizzen cannot verify.
            Refused(http, $"the identity provider's answer was refused: {failure.Message}");
            LogRefused(Logger(http), Reason(failure));
            http.Response.Redirect(LoginPage("oidc-failed", returnUrl));
        }
    }

    /// <summary>Whether the provider could not be reached (connection refused, a timeout, the discovery document unobtainable).</summary>
    internal static bool IsUnreachable(Exception e) =>
        e is HttpRequestException or TimeoutException or TaskCanceledException or System.Net.Sockets.SocketException or IOException
        || (e is InvalidOperationException && e.Message.Contains("IDX20803", StringComparison.Ordinal)) // unable to obtain configuration
        || (e.InnerException is { } inner && IsUnreachable(inner));

    private static string Unavailable(OidcOptions oidc, Exception e) =>
        $"the identity provider {oidc.Authority} did not answer ({Reason(e)}): signing in with it is not possible now; try again later" +
        " or sign in another way";

    private static string Reason(Exception e)
    {
        var innermost = e;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        return innermost.Message;
    }

    private static void Refused(HttpContext http, string detail) =>
        http.RequestServices.GetRequiredService<IAuditLog>().Record(new AuditEntry("login.failed", $"auth:{Source}") { Detail = $"{Source}: {detail}" });

    private static string LoginPage(string error, string? returnUrl) =>
        $"{SignInRequirement.LoginPage}?error={error}" + (returnUrl is { Length: > 0 } url && url != "/" ? $"&returnUrl={Uri.EscapeDataString(LocalOnly(url))}" : "");

    /// <summary>A return address on this server only (an open redirect would help phishing).</summary>
    internal static string LocalOnly(string? url) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";

    private static IResult Problem(HttpContext http, int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = http.Request.Path });

    private static ILogger Logger(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSignIn).FullName!);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "OIDC sign-in: the identity provider {Authority} did not answer: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string authority, string reason);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "OIDC sign-in refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "OIDC sign-in refused: the answer for subject '{Subject}' has no '{Claim}' claim (Mizzen:Auth:Oidc:UserNameClaim)")]
    private static partial void LogNoUserName(ILogger logger, string subject, string claim);
}

/// <summary>A <c>Mizzen:Auth</c> setting the server cannot start with: <c>serve</c> prints the message, which names the setting, as one line.</summary>
public sealed class AuthConfigurationException(string setting, string message) : MizzenException($"{setting}: {message}")
{
    public string Setting { get; } = setting;
}

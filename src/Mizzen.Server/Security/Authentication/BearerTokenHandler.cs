using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Mizzen.Server.Audit;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// <c>Authorization: Bearer mzn_...</c>: the token's owner, with the owner's roles as <see cref="IUserRoles"/> knows them now (not when the
/// token was made), so a role change or a revocation takes effect on the next request. The operator's <see cref="BootstrapToken"/> is checked
/// first (it needs no store read) and signs in as its one user; a wrong token of either kind gets the same answer.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokens tokens, IUserRoles roles,
    BootstrapToken bootstrap, IAuditLog audit)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>How the bootstrap token's requests are marked (<see cref="MizzenAuth.MethodClaim"/>).</summary>
    public const string BootstrapMethod = "bootstrap";

    public const string SchemeName = "MizzenBearer";
    public const string InvalidToken = "the API token is unknown, expired or revoked; create a new one with `mizzen login` or POST /auth/tokens";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken(Request) is not { } secret)
        {
            return AuthenticateResult.NoResult();
        }

        if (bootstrap.User is { } bootstrapUser && bootstrap.Matches(secret))
        {
            RecordBootstrapUse(bootstrapUser);
            var user = MizzenAuth.Principal(bootstrapUser, await roles.GetRolesAsync(bootstrapUser, Context.RequestAborted), BootstrapMethod, SchemeName, MizzenAuth.FullScope);
            return AuthenticateResult.Success(new AuthenticationTicket(user, SchemeName));
        }

        if (await tokens.AuthenticateAsync(secret, Context.RequestAborted) is not { } token)
        {
            return AuthenticateResult.Fail(InvalidToken);
        }

        var principal = MizzenAuth.Principal(token.Owner, await roles.GetRolesAsync(token.Owner, Context.RequestAborted), "token", SchemeName, token.Scope);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    /// <summary>The first use of the bootstrap token after a start goes to the audit log (each use would flood it; its changes are audited anyway).</summary>
    private void RecordBootstrapUse(string user)
    {
        if (bootstrap.FirstUse())
        {
            audit.Record(new AuditEntry("token.bootstrap.used", $"user:{user}")
            {
                User = user,
                Detail = "the bootstrap token (Mizzen:Auth:Bootstrap) signed in; remove it once real API tokens exist",
            });
        }
    }

    /// <summary>The bearer token of the request, or null when it has none.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header[7..].Trim() is { Length: > 0 } token ? token : null;
    }
}

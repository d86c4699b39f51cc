using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// <c>Authorization: Bearer mzn_...</c>: the token's owner, with the owner's roles as <see cref="IUserRoles"/> knows them now (not when the
/// token was made), so a role change or a revocation takes effect on the next request.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokens tokens, IUserRoles roles)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "MizzenBearer";
    public const string InvalidToken = "the API token is unknown, expired or revoked; create a new one with `mizzen login` or POST /auth/tokens";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken(Request) is not { } secret)
        {
            return AuthenticateResult.NoResult();
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

    /// <summary>The bearer token of the request, or null when it has none.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header[7..].Trim() is { Length: > 0 } token ? token : null;
    }
}

using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// <c>GET /auth/oidc/login?returnUrl=/ui/...</c>: starts signing in with the OpenID Connect provider (the login page's button links here).
/// The callback (<see cref="OidcSignIn.CallbackPath"/>) is the handler's own path, answered inside authentication before any route.
/// A GET is safe to start with: the state and its correlation cookie tie the answer to this browser, so nobody can be signed in by a link.
/// </summary>
public static class OidcEndpoints
{
    public static IEndpointRouteBuilder MapOidcEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(OidcSignIn.LoginPath, (HttpContext http, IOptions<AuthOptions> options, string? returnUrl) =>
        {
            var oidc = options.Value.Oidc;
            if (!oidc.IsConfigured)
            {
                throw new ConflictException("signing in with OpenID Connect needs an identity provider: configure Mizzen:Auth:Oidc (docs/authentication.md)");
            }

            return OidcSignIn.ChallengeAsync(http, oidc, OidcSignIn.LocalOnly(returnUrl));
        }).WithTags("Authentication");
        return routes;
    }
}

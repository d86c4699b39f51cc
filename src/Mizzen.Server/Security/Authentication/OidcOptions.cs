namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// <c>Mizzen:Auth:Oidc</c>: sign in with an OpenID Connect provider (authorization code flow with PKCE). The user name is the
/// <see cref="UserNameClaim"/> of the ID token; the values of <see cref="GroupsClaim"/> are the user's roles.
/// </summary>
public sealed class OidcOptions
{
    /// <summary>The provider's issuer URL (its discovery document is at <c>/.well-known/openid-configuration</c>); OIDC is on when set.</summary>
    public string? Authority { get; set; }

    /// <summary>The client (application) id registered at the provider; required when <see cref="Authority"/> is set.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The client secret, if the provider gives one (a confidential client); PKCE is used either way. May be a <c>${secret:name}</c>
    /// reference (resolved from the secret store each time a code is redeemed), so the value need not sit in <c>mizzen.json</c>.
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for besides <c>openid</c> and <c>profile</c> (e.g. <c>groups</c> for Okta, <c>email</c>).</summary>
    public IList<string> Scopes { get; } = [];

    /// <summary>The claim that names the user (as Mizzen's user name: audit, tokens, <c>Mizzen:Auth:Users</c>).</summary>
    public string UserNameClaim { get; set; } = "preferred_username";

    /// <summary>The claim whose values (an array or one string) are the user's roles.</summary>
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>Also read the claims from the provider's userinfo endpoint (for providers that leave groups out of the ID token).</summary>
    public bool GetClaimsFromUserInfoEndpoint { get; set; }

    /// <summary>Sign-out also ends the session at the provider (its <c>end_session_endpoint</c>, RP-initiated logout).</summary>
    public bool SignOutAtProvider { get; set; }

    /// <summary>How long one call to the provider (discovery, keys, token endpoint) may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The button's text on the login page.</summary>
    public string DisplayName { get; set; } = "Single sign-on";

    /// <summary>Refuse a provider that is not on HTTPS (turn off only for a provider on loopback).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority);
}

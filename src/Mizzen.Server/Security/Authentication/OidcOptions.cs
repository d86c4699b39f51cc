namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// <c>Mizzen:Auth:Oidc</c>: sign in with an OpenID Connect provider (authorization code flow with PKCE). The user name is the
/// <see cref="UserNameClaim"/> of the ID token; the values of <see cref="GroupsClaim"/> are the user's roles.
/// </summary>
public sealed class OidcOptions
{
    /// <summary>The provider's issuer URL (its discovery document is at <c>/.well-known/openid-configuration</c>); OIDC is on when set.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>The client secret, if the provider gives one (a confidential client); PKCE is used either way.</summary>
    public string? ClientSecret { get; set; }

    public IList<string> Scopes { get; } = [];

    public string UserNameClaim { get; set; } = "preferred_username";

    public string GroupsClaim { get; set; } = "groups";

    /// <summary>The button's text on the login page.</summary>
    public string DisplayName { get; set; } = "Single sign-on";

    /// <summary>Refuse a provider that is not on HTTPS (turn off only for a provider on loopback).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority);
}

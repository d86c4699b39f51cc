namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// <c>Mizzen:Auth</c>. Authentication is on when <see cref="Enabled"/> is true or LDAP or OIDC is configured; off (the default) keeps the
/// loopback-only behaviour where every caller may do everything and <c>X-Mizzen-User</c> names the caller for audit.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Mizzen:Auth";

    /// <summary>Turns authentication on without LDAP or OIDC (API tokens and file users' roles only).</summary>
    public bool Enabled { get; set; }

    /// <summary>Members of any of these roles are admins (fiat's admin role): they may manage every user's tokens.</summary>
    public IList<string> AdminRoles { get; } = [];

    /// <summary>Fiat's FILE group membership: roles granted to a user by name, on top of the directory's.</summary>
    public IDictionary<string, AuthUserOptions> Users { get; } = new Dictionary<string, AuthUserOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Fiat's service accounts (a trigger's <c>runAsUser</c>): identities that never sign in, with the roles given here.</summary>
    public IDictionary<string, AuthUserOptions> ServiceAccounts { get; } = new Dictionary<string, AuthUserOptions>(StringComparer.OrdinalIgnoreCase);

    public LdapOptions Ldap { get; set; } = new();

    public OidcOptions Oidc { get; set; } = new();

    public SessionOptions Session { get; set; } = new();

    public ApiTokenOptions Tokens { get; set; } = new();

    public LoginThrottleOptions Throttle { get; set; } = new();

    /// <summary>The first admin credential of a server without a directory (see <see cref="BootstrapToken"/>).</summary>
    public BootstrapOptions Bootstrap { get; set; } = new();

    /// <summary>Whether any way of signing in is configured.</summary>
    public bool IsOn => Enabled || Ldap.IsConfigured || Oidc.IsConfigured;
}

/// <summary>Roles given to one user or service account in configuration.</summary>
public sealed class AuthUserOptions
{
    public IList<string> Roles { get; } = [];
}

/// <summary>The UI's session cookie.</summary>
public sealed class SessionOptions
{
    /// <summary>How long an unused session lasts; each request past half of it renews the cookie (sliding expiry).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);
}

/// <summary>API tokens' lifetimes.</summary>
public sealed class ApiTokenOptions
{
    /// <summary>A token created without an expiry lasts this long.</summary>
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>No token may last longer than this.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromDays(366);
}

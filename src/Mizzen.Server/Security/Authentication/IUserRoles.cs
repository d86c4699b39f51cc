namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// A user's roles outside a request: those the directory or identity provider gave at the user's last login, merged with
/// <c>Mizzen:Auth:Users:{name}:Roles</c> and <c>Mizzen:Auth:ServiceAccounts:{name}:Roles</c>. API-token requests and triggers that run as a
/// service account resolve roles through it at request time, so a change takes effect at once.
/// </summary>
public interface IUserRoles
{
    /// <summary>Lower-cased, distinct roles; empty for a user nobody knows.</summary>
    Task<IReadOnlyList<string>> GetRolesAsync(string user, CancellationToken cancellationToken);

    /// <summary>Remembers the roles a directory or identity provider gave <paramref name="user"/> at login (<paramref name="source"/>: ldap, oidc).</summary>
    Task RememberLoginAsync(string user, IReadOnlyList<string> roles, string source, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="user"/> is a configured service account.</summary>
    bool IsServiceAccount(string user);
}

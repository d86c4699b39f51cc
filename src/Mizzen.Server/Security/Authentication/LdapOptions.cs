namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// <c>Mizzen:Auth:Ldap</c>: sign in by binding to the directory as the user. The user's DN comes from <see cref="UserDnPattern"/>
/// (<c>uid={0},ou=people,dc=example,dc=org</c>) or from a search under <see cref="UserSearchBase"/> with <see cref="UserSearchFilter"/> as
/// <see cref="ManagerDn"/> (search-then-bind). Groups become roles: entries under <see cref="GroupSearchBase"/> matching
/// <see cref="GroupSearchFilter"/> (<c>{0}</c> = the user's DN, <c>{1}</c> = the user name), or the user's <c>memberOf</c> values.
/// </summary>
public sealed class LdapOptions
{
    /// <summary><c>ldap://host:389</c> or <c>ldaps://host:636</c>; LDAP is on when this is set.</summary>
    public string? Url { get; set; }

    public string? ManagerDn { get; set; }

    /// <summary>The manager's password; write <c>${secret:NAME}</c> or use the environment, never a committed file.</summary>
    public string? ManagerPassword { get; set; }

    public string? UserDnPattern { get; set; }

    public string? UserSearchBase { get; set; }

    public string UserSearchFilter { get; set; } = "(uid={0})";

    public string? GroupSearchBase { get; set; }

    public string GroupSearchFilter { get; set; } = "(member={0})";

    /// <summary>The attribute of a group entry whose value is the role name.</summary>
    public string GroupRoleAttribute { get; set; } = "cn";

    /// <summary>Read the user entry's <c>memberOf</c> values (each group's first RDN value is a role) as well.</summary>
    public bool UseMemberOf { get; set; }

    /// <summary>How long one LDAP operation may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url);
}

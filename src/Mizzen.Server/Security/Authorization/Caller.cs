using System.Collections.Frozen;

namespace Mizzen.Server.Security.Authorization;

/// <summary>
/// Who a permission is checked for: a signed-in request's principal, or a user named outside a request (a trigger's <c>runAsUser</c>,
/// a run's user when it is steered from the UI), whose roles come from authn's <c>IUserRoles</c>.
/// </summary>
public sealed class Caller(string name, IEnumerable<string> roles, bool signedIn, bool isAdmin, bool isReadOnly)
{
    /// <summary>Anyone, when authentication is off: every check passes (Mizzen's behaviour on a laptop).</summary>
    public static readonly Caller Everyone = new("anonymous", [], signedIn: false, isAdmin: true, isReadOnly: false);

    public string Name { get; } = name;

    /// <summary>Lower-cased.</summary>
    public FrozenSet<string> Roles { get; } = roles.Select(PermissionSet.NormalizeRole).ToFrozenSet(StringComparer.Ordinal);

    public bool SignedIn { get; } = signedIn;

    /// <summary>A member of an admin role (<c>Mizzen:Auth:AdminRoles</c>): holds every authorization on everything.</summary>
    public bool IsAdmin { get; } = isAdmin;

    /// <summary>A read-only token or role: may list and watch what it may read, and change nothing — even as an admin.</summary>
    public bool IsReadOnly { get; } = isReadOnly;

    public override string ToString() => Name;
}

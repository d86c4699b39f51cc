namespace Mizzen.Server.Security.Authorization;

/// <summary>
/// The permission settings in <c>Mizzen:Auth</c> (authentication's section; admin roles and service accounts are read from authn's
/// <c>AuthOptions</c>). Defaults follow fiat's.
/// </summary>
public sealed class PermissionOptions
{
    public const string SectionName = "Mizzen:Auth";

    /// <summary>
    /// Members of any of these roles may list and watch everything they may read, and change nothing (Pinterest's read-only scripts),
    /// like an API token with scope <c>read</c>.
    /// </summary>
    public IList<string> ReadOnlyRoles { get; } = [];

    /// <summary>
    /// Who may EXECUTE a restricted application that lists no EXECUTE roles: the READ roles (fiat's default <c>fiat.executeFallback: READ</c>)
    /// or, with <c>WRITE</c>, only its writers.
    /// </summary>
    public string ExecuteFallback { get; set; } = "READ";

    /// <summary>
    /// False (fiat's default): a user may name a service account as a trigger's <c>runAsUser</c> only when holding all of its roles;
    /// true (fiat's <c>fiat.role.orMode</c>): one of them is enough.
    /// </summary>
    public bool ServiceAccountAnyRole { get; set; }

    /// <summary>
    /// How long an application's permissions are reused before they are read again. A change made on this node applies at once;
    /// one made on another node (PostgreSQL scale-out) within this time.
    /// </summary>
    public TimeSpan ApplicationCacheTime { get; set; } = TimeSpan.FromSeconds(5);
}

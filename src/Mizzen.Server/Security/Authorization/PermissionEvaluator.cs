using System.Security.Claims;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Server.Security.Authentication;

namespace Mizzen.Server.Security.Authorization;

/// <summary>
/// Fiat's decisions, in one place for the REST API, the UI and the engine's runs: who the caller is (<see cref="For"/>, <see cref="ForUserAsync"/>)
/// and whether it holds an authorization on an application or an account. With authentication off every check passes (Mizzen on a laptop).
/// An admin holds everything; a read-only caller holds READ at most; everyone else holds what its roles are listed for, and everything on an
/// unrestricted resource. A denial names what is missing and on what (<c>'bob' lacks WRITE on application 'shop'</c>).
/// </summary>
public sealed class PermissionEvaluator
{
    private readonly MizzenAuth auth;
    private readonly IApplicationPermissions applications;
    private readonly IAccountPermissions accounts;
    private readonly IUserRoles userRoles;
    private readonly AuthOptions authOptions;
    private readonly PermissionOptions options;
    private readonly HashSet<string> adminRoles;
    private readonly HashSet<string> readOnlyRoles;
    private readonly Access executeFallback;

    public PermissionEvaluator(
        MizzenAuth auth,
        IOptions<AuthOptions> authOptions,
        IOptions<PermissionOptions> options,
        IApplicationPermissions applications,
        IAccountPermissions accounts,
        IUserRoles userRoles)
    {
        this.auth = auth;
        this.applications = applications;
        this.accounts = accounts;
        this.userRoles = userRoles;
        this.authOptions = authOptions.Value;
        this.options = options.Value;
        adminRoles = [.. this.authOptions.AdminRoles.Select(PermissionSet.NormalizeRole)];
        readOnlyRoles = [.. this.options.ReadOnlyRoles.Select(PermissionSet.NormalizeRole)];
        executeFallback = AccessNames.TryParse(this.options.ExecuteFallback, out var fallback) && fallback != Access.Execute
            ? fallback
            : throw new ValidationException($"{PermissionOptions.SectionName}:ExecuteFallback", $"'{this.options.ExecuteFallback}' is not READ or WRITE");
    }

    /// <summary>Whether permissions are enforced (authentication is on).</summary>
    public bool Enabled => auth.Enabled;

    /// <summary>The caller of a request: its name, roles and token scope from the principal authn signed in.</summary>
    public Caller For(ClaimsPrincipal principal)
    {
        if (!Enabled)
        {
            return Caller.Everyone;
        }

        return principal.Identity is { IsAuthenticated: true }
            ? Build(MizzenAuth.UserName(principal), MizzenAuth.Roles(principal), signedIn: true, MizzenAuth.IsReadOnly(principal))
            : Build(Users.Anonymous, [], signedIn: false, readOnlyScope: false);
    }

    /// <summary>
    /// A user named outside a request (a trigger's <c>runAsUser</c>, the user a run was started or steered by): roles through
    /// <see cref="IUserRoles"/>, as of now. <c>anonymous</c> holds no roles: it may act on unrestricted applications and accounts only.
    /// </summary>
    public async Task<Caller> ForUserAsync(string user, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return Caller.Everyone;
        }

        if (string.IsNullOrEmpty(user) || string.Equals(user, Users.Anonymous, StringComparison.OrdinalIgnoreCase))
        {
            return Build(Users.Anonymous, [], signedIn: false, readOnlyScope: false);
        }

        return Build(user, await userRoles.GetRolesAsync(user, cancellationToken), signedIn: true, readOnlyScope: false);
    }

    /// <summary>Why <paramref name="caller"/> does not hold <paramref name="access"/> under <paramref name="permissions"/>; null when it does.</summary>
    public string? Denial(Caller caller, PermissionSet permissions, Access access, string resource)
    {
        if (!Enabled || ReferenceEquals(caller, Caller.Everyone))
        {
            return null;
        }

        if (access != Access.Read && caller.IsReadOnly)
        {
            return $"'{caller.Name}' is read-only (a read-only token or role may list and watch, and change nothing): missing {access.Wire()} on {resource}";
        }

        return caller.IsAdmin || permissions.Allows(access, caller.Roles, executeFallback)
            ? null
            : $"'{caller.Name}' lacks {access.Wire()} on {resource}";
    }

    public async ValueTask<string?> ApplicationDenialAsync(Caller caller, string application, Access access, CancellationToken cancellationToken) =>
        !Enabled || ReferenceEquals(caller, Caller.Everyone)
            ? null
            : Denial(caller, await applications.GetAsync(application, cancellationToken), access, $"application '{application.ToLowerInvariant()}'");

    public string? AccountDenial(Caller caller, string account, Access access) =>
        Denial(caller, Enabled ? accounts.For(account) : PermissionSet.Unrestricted, access, $"account '{account}'");

    public async ValueTask<bool> CanAsync(Caller caller, string application, Access access, CancellationToken cancellationToken) =>
        await ApplicationDenialAsync(caller, application, access, cancellationToken) is null;

    /// <summary>Throws <see cref="ForbiddenException"/> (403) naming the missing authorization.</summary>
    public async ValueTask DemandApplicationAsync(Caller caller, string application, Access access, CancellationToken cancellationToken)
    {
        if (await ApplicationDenialAsync(caller, application, access, cancellationToken) is { } denial)
        {
            throw new ForbiddenException(denial);
        }
    }

    /// <summary>Throws <see cref="ForbiddenException"/> (403) naming the missing authorization.</summary>
    public void DemandAccount(Caller caller, string account, Access access)
    {
        if (AccountDenial(caller, account, access) is { } denial)
        {
            throw new ForbiddenException(denial);
        }
    }

    /// <summary>The items whose application <paramref name="caller"/> may READ, in their order (the lists fiat filters).</summary>
    public async Task<IReadOnlyList<T>> ReadableAsync<T>(Caller caller, IReadOnlyList<T> items, Func<T, string> application, CancellationToken cancellationToken)
    {
        if (!Enabled || ReferenceEquals(caller, Caller.Everyone) || caller.IsAdmin)
        {
            return items;
        }

        var readable = new List<T>(items.Count);
        foreach (var item in items)
        {
            if (await CanAsync(caller, application(item), Access.Read, cancellationToken))
            {
                readable.Add(item);
            }
        }

        return readable;
    }

    /// <summary>
    /// Whether <paramref name="caller"/> may name service account <paramref name="serviceAccount"/> as a trigger's <c>runAsUser</c> (fiat's
    /// rule): admins may name any; others must hold all of its roles (one of them with <see cref="PermissionOptions.ServiceAccountAnyRole"/>).
    /// A service account without roles is for admins only, as fiat drops it from everyone else's list. Null when allowed; throws
    /// <see cref="ValidationException"/> at <paramref name="location"/> for a name that is not a configured service account.
    /// </summary>
    public string? ServiceAccountDenial(Caller caller, string serviceAccount, string location)
    {
        if (!Enabled || ReferenceEquals(caller, Caller.Everyone))
        {
            return null;
        }

        if (!authOptions.ServiceAccounts.TryGetValue(serviceAccount, out var configured))
        {
            throw new ValidationException(location, $"'{serviceAccount}' is not a service account (configure it in Mizzen:Auth:ServiceAccounts:{serviceAccount}:Roles)");
        }

        if (caller.IsAdmin)
        {
            return null;
        }

        var roles = configured.Roles.Select(PermissionSet.NormalizeRole).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (roles.Count == 0)
        {
            return $"{location}: service account '{serviceAccount}' has no roles; only an admin may use it";
        }

        var allowed = options.ServiceAccountAnyRole ? roles.Any(caller.Roles.Contains) : roles.All(caller.Roles.Contains);
        return allowed
            ? null
            : $"{location}: '{caller.Name}' may not use service account '{serviceAccount}': it takes {(options.ServiceAccountAnyRole ? "one" : "all")} of its roles ({string.Join(", ", roles)})";
    }

    private Caller Build(string name, IReadOnlyList<string> roles, bool signedIn, bool readOnlyScope)
    {
        var normalized = roles.Select(PermissionSet.NormalizeRole).ToList();
        return new Caller(
            name,
            normalized,
            signedIn,
            isAdmin: normalized.Any(adminRoles.Contains),
            isReadOnly: readOnlyScope || normalized.Any(readOnlyRoles.Contains));
    }
}

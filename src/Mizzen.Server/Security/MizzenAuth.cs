using System.Security.Claims;
using Microsoft.Extensions.Options;
using Mizzen.Core.Model;
using Mizzen.Server.Security.Authentication;

namespace Mizzen.Server.Security;

/// <summary>
/// The identity contract every part of the server reads (see docs/authentication.md): whether authentication is on, and what a
/// signed-in <see cref="ClaimsPrincipal"/> carries — <see cref="ClaimTypes.Name"/>, one lower-cased <see cref="ClaimTypes.Role"/> per role,
/// <see cref="MethodClaim"/> (how the caller signed in) and, for API tokens, <see cref="ScopeClaim"/>.
/// </summary>
public sealed class MizzenAuth(IOptions<AuthOptions> options)
{
    public const string MethodClaim = "mizzen:auth";
    public const string ScopeClaim = "mizzen:scope";
    public const string FullScope = "full";
    public const string ReadScope = "read";

    /// <summary>Authentication is on: LDAP or OIDC is configured, or <c>Mizzen:Auth:Enabled</c> is true.</summary>
    public bool Enabled { get; } = options.Value.IsOn;

    /// <summary>The signed-in user's name; <c>anonymous</c> when the caller is not signed in.</summary>
    public static string UserName(ClaimsPrincipal principal) =>
        principal.Identity is { IsAuthenticated: true } && principal.FindFirst(ClaimTypes.Name)?.Value is { Length: > 0 } name ? name : Users.Anonymous;

    /// <summary>The caller's roles, lower-cased (as fiat compares them).</summary>
    public static IReadOnlyList<string> Roles(ClaimsPrincipal principal) =>
        [.. principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct(StringComparer.Ordinal)];

    /// <summary>A read-only API token: it may list and watch, and change nothing.</summary>
    public static bool IsReadOnly(ClaimsPrincipal principal) =>
        string.Equals(principal.FindFirst(ScopeClaim)?.Value, ReadScope, StringComparison.Ordinal);

    /// <summary>A member of one of <c>Mizzen:Auth:AdminRoles</c>.</summary>
    public bool IsAdmin(ClaimsPrincipal principal)
    {
        var roles = Roles(principal);
        return options.Value.AdminRoles.Any(a => roles.Contains(NormalizeRole(a), StringComparer.Ordinal));
    }

    /// <summary>Role names compare lower-cased and trimmed, as fiat's do.</summary>
    public static string NormalizeRole(string role) => role.Trim().ToLowerInvariant();

    /// <summary>A signed-in principal with the contract's claims.</summary>
    public static ClaimsPrincipal Principal(string user, IEnumerable<string> roles, string method, string authenticationType, string? scope = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, user), new(MethodClaim, method) };
        claims.AddRange(roles.Select(NormalizeRole).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).Select(r => new Claim(ClaimTypes.Role, r)));
        if (scope is not null)
        {
            claims.Add(new Claim(ScopeClaim, scope));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }
}

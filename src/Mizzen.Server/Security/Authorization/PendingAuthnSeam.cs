using System.Security.Claims;
using Microsoft.Extensions.Options;
using Mizzen.Core.Model;
using Mizzen.Server.Security.Authentication;

#pragma warning disable SA1402, SA1649 // temporary: the authn branch's types, replaced by the real ones when it is merged

namespace Mizzen.Server.Security
{
    /// <summary>Stand-in for authn's identity contract (ISSUE13-SEAM.md) until the authn branch is merged; same signatures.</summary>
    public sealed class MizzenAuth(IOptions<AuthOptions> options)
    {
        public const string ScopeClaim = "mizzen:scope";
        public const string ReadScope = "read";

        public bool Enabled { get; } = options.Value.IsOn;

        public static string UserName(ClaimsPrincipal principal) =>
            principal.Identity is { IsAuthenticated: true } && principal.FindFirst(ClaimTypes.Name)?.Value is { Length: > 0 } name ? name : Users.Anonymous;

        public static IReadOnlyList<string> Roles(ClaimsPrincipal principal) =>
            [.. principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct(StringComparer.Ordinal)];

        public static bool IsReadOnly(ClaimsPrincipal principal) =>
            string.Equals(principal.FindFirst(ScopeClaim)?.Value, ReadScope, StringComparison.Ordinal);

        public static string NormalizeRole(string role) => role.Trim().ToLowerInvariant();
    }
}

namespace Mizzen.Server.Security.Authentication
{
    /// <summary>Stand-in for authn's options (the parts authz reads).</summary>
    public sealed class AuthOptions
    {
        public const string SectionName = "Mizzen:Auth";

        public bool Enabled { get; set; }

        public IList<string> AdminRoles { get; } = [];

        public IDictionary<string, AuthUserOptions> ServiceAccounts { get; } = new Dictionary<string, AuthUserOptions>(StringComparer.OrdinalIgnoreCase);

        public bool IsOn => Enabled;
    }

    /// <summary>Stand-in for authn's per-user options.</summary>
    public sealed class AuthUserOptions
    {
        public IList<string> Roles { get; } = [];
    }

    /// <summary>Stand-in for authn's role lookup.</summary>
    public interface IUserRoles
    {
        Task<IReadOnlyList<string>> GetRolesAsync(string user, CancellationToken cancellationToken);

        bool IsServiceAccount(string user);
    }
}

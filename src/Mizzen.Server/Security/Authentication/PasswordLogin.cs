using System.Security.Claims;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// Signs a user in with a name and password against the directory, slowed down after repeated failures. A wrong password and an unknown
/// user get the same answer.
/// </summary>
public sealed class PasswordLogin(MizzenAuth auth, LdapDirectory directory, IUserRoles roles, LoginThrottle throttle, Microsoft.Extensions.Options.IOptions<AuthOptions> options)
{
    public const string WrongCredentials = "the user name or password is wrong";

    public bool Available => auth.Enabled && options.Value.Ldap.IsConfigured;

    public async Task<LoginOutcome> SignInAsync(string user, string password, string? address, CancellationToken cancellationToken)
    {
        user = user.Trim();
        if (throttle.RetryAfter(user, address) is { } wait && wait > TimeSpan.Zero)
        {
            return new LoginOutcome(null, wait);
        }

        var found = await directory.AuthenticateAsync(user, password, cancellationToken);
        if (found is null)
        {
            throttle.RecordFailure(user, address);
            return new LoginOutcome(null, TimeSpan.Zero);
        }

        throttle.RecordSuccess(user);
        await roles.RememberLoginAsync(found.Name, found.Groups, "ldap", cancellationToken);
        var principal = MizzenAuth.Principal(found.Name, await roles.GetRolesAsync(found.Name, cancellationToken), "ldap", "ldap");
        return new LoginOutcome(principal, TimeSpan.Zero);
    }
}

/// <summary>A signed-in principal, or null with how long to wait (zero: the credentials were wrong).</summary>
public sealed record LoginOutcome(ClaimsPrincipal? Principal, TimeSpan RetryAfter);

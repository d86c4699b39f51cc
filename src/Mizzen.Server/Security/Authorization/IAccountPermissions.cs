namespace Mizzen.Server.Security.Authorization;

/// <summary>
/// Who may see (READ) and deploy to (WRITE) an account, by account name, whatever its provider (local, Kubernetes ...): fiat's account
/// resources. Deploy operations and runs check WRITE on every account they name.
/// </summary>
public interface IAccountPermissions
{
    /// <summary>The account's permissions; <see cref="PermissionSet.Unrestricted"/> for an account that names none or is not configured.</summary>
    PermissionSet For(string account);
}

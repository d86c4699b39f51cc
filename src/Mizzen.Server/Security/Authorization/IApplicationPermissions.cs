namespace Mizzen.Server.Security.Authorization;

/// <summary>An application's <c>permissions</c>, as the permission checks read them (every request that names an application asks).</summary>
public interface IApplicationPermissions
{
    /// <summary>The application's permissions; <see cref="PermissionSet.Unrestricted"/> for one that names none or does not exist.</summary>
    ValueTask<PermissionSet> GetAsync(string application, CancellationToken cancellationToken);

    /// <summary>Drops what is remembered about <paramref name="application"/>, after it was saved or deleted on this node.</summary>
    void Forget(string application);
}

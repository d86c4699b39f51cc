namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// <c>Mizzen:Auth:Bootstrap</c>: the first credential of a server that has no directory or identity provider. API tokens are made by
/// signed-in users, so with <c>Mizzen:Auth:Enabled</c> alone nobody could get the first one; this token, given by the operator, is
/// accepted as a bearer token for <see cref="User"/> only, to create real tokens, and is then removed from the configuration.
/// </summary>
public sealed class BootstrapOptions
{
    /// <summary>The user the bootstrap token signs in as; its roles come from <c>Mizzen:Auth:Users:{name}:Roles</c> as for anyone.</summary>
    public string? User { get; set; }

    /// <summary>
    /// The token, at least <see cref="BootstrapToken.MinimumLength"/> characters: normally a <c>${secret:name}</c> reference (a mounted
    /// file, <c>MIZZEN_SECRET_*</c>) or the environment variable <c>MIZZEN_Mizzen__Auth__Bootstrap__Token</c>, not text in <c>mizzen.json</c>.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Whether either setting is given (both must be).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(User) || !string.IsNullOrEmpty(Token);
}

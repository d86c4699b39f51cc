using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Core.Secrets;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// The operator's bootstrap token (<see cref="BootstrapOptions"/>), checked when the server is built: a missing user or secret, a token
/// shorter than <see cref="MinimumLength"/> characters, or a bootstrap without authentication stops the start with
/// <see cref="BootstrapTokenException"/>. Only the SHA-256 of the token is kept, and a presented token is compared by its hash in constant
/// time, so neither its content nor its length leaks through timing. Every start with it configured logs a warning naming the user (never
/// the token), since it never expires and cannot be revoked except by removing it.
/// </summary>
public sealed partial class BootstrapToken
{
    /// <summary>32 characters: a random token of that length (base64 or hex) carries well over 128 bits.</summary>
    public const int MinimumLength = 32;

    private readonly byte[]? hash;
    private int used;

    public BootstrapToken(IOptions<AuthOptions> options, ISecretStore secrets, ILogger<BootstrapToken> logger)
    {
        var auth = options.Value;
        var bootstrap = auth.Bootstrap;
        if (!bootstrap.IsConfigured)
        {
            return;
        }

        if (!auth.IsOn)
        {
            throw new BootstrapTokenException("Mizzen:Auth:Bootstrap is set but authentication is off: set Mizzen:Auth:Enabled to true (or configure LDAP or OIDC), or remove Mizzen:Auth:Bootstrap");
        }

        if (string.IsNullOrWhiteSpace(bootstrap.User))
        {
            throw new BootstrapTokenException("Mizzen:Auth:Bootstrap:Token is set without Mizzen:Auth:Bootstrap:User: name the user the token signs in as");
        }

        if (string.IsNullOrEmpty(bootstrap.Token))
        {
            throw new BootstrapTokenException($"Mizzen:Auth:Bootstrap:User is '{bootstrap.User}' but Mizzen:Auth:Bootstrap:Token is not set: give it as ${{secret:name}} or in MIZZEN_Mizzen__Auth__Bootstrap__Token");
        }

        string token;
        try
        {
            token = SecretReferences.Resolve(bootstrap.Token, secrets, pipelineField: false, new HashSet<string>(StringComparer.Ordinal));
        }
        catch (SecretNotFoundException e)
        {
            throw new BootstrapTokenException($"Mizzen:Auth:Bootstrap:Token: {e.Message}");
        }

        if (token.Trim().Length < MinimumLength)
        {
            throw new BootstrapTokenException(
                $"Mizzen:Auth:Bootstrap:Token is shorter than {MinimumLength} characters; use a random one, e.g. `openssl rand -base64 33`");
        }

        User = bootstrap.User.Trim();
        hash = SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim()));
        LogConfigured(logger, User);
    }

    /// <summary>The user the bootstrap token signs in as, or null when none is configured.</summary>
    public string? User { get; }

    /// <summary>Whether <paramref name="presented"/> is the bootstrap token (always false when none is configured).</summary>
    public bool Matches(string presented) =>
        hash is not null && CryptographicOperations.FixedTimeEquals(hash, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    /// <summary>True the first time it is called on this node (the first use since the start, for the audit log).</summary>
    public bool FirstUse() => Interlocked.Exchange(ref used, 1) == 0;

    [LoggerMessage(EventId = 9011, Level = LogLevel.Warning,
        Message = "a bootstrap token for {User} is configured (Mizzen:Auth:Bootstrap): it never expires; use it to create real API tokens, then remove it")]
    private static partial void LogConfigured(ILogger logger, string user);
}

/// <summary>A bootstrap token the server refuses to start with; the message names the setting, never the token.</summary>
public sealed class BootstrapTokenException(string message) : MizzenException(message)
{
    public override ErrorKind Kind => ErrorKind.Invalid;
}

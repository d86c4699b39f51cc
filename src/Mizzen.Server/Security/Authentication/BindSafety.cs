using Mizzen.Core.Errors;
using Mizzen.Server.Hosting;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// Without authentication anyone who reaches the port may deploy, so the server listens beyond loopback only with authentication
/// configured, or when told <c>--insecure-no-auth</c> (and then it says so on every start).
/// </summary>
public static partial class BindSafety
{
    /// <summary>Throws <see cref="UnauthenticatedBindException"/> when the server must not start; logs the warning when it starts insecurely.</summary>
    public static void Check(ServeArguments arguments, IConfiguration configuration, ILogger logger)
    {
        if (arguments.IsLoopback)
        {
            return;
        }

        if (configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>()?.IsOn ?? false)
        {
            // Not refused: a TLS proxy in front is the usual set-up, and Mizzen cannot see one it was not told about.
            if (string.IsNullOrWhiteSpace(configuration[$"{HttpsOptions.SectionName}:CertificateFile"])
                && !(configuration.GetSection(ProxyOptions.SectionName).Get<ProxyOptions>()?.IsConfigured ?? false))
            {
                LogPlainHttp(logger, arguments.Bind);
            }

            return;
        }

        if (!arguments.InsecureNoAuth)
        {
            throw new UnauthenticatedBindException(arguments.Bind);
        }

        LogInsecure(logger, arguments.Bind);
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning,
        Message = "listening on {Bind} WITHOUT AUTHENTICATION (--insecure-no-auth): anyone who reaches this address can deploy, cancel and roll back; configure Mizzen:Auth (docs/authentication.md)")]
    private static partial void LogInsecure(ILogger logger, string bind);

    [LoggerMessage(EventId = 9012, Level = LogLevel.Warning,
        Message = "listening on {Bind} over plain HTTP with sign-in on: passwords and session cookies cross the network in the clear unless a TLS proxy is in front. Set Mizzen:Https, or name the proxy in Mizzen:Proxy:KnownProxies (docs/authentication.md)")]
    private static partial void LogPlainHttp(ILogger logger, string bind);
}

/// <summary><c>serve --bind</c> on an address other machines can reach, with authentication off.</summary>
public sealed class UnauthenticatedBindException(string bind) : MizzenException(
    $"refusing to listen on {bind} without authentication: anyone who reaches it could deploy. Configure Mizzen:Auth (LDAP, OIDC, or Enabled " +
    "with API tokens; see docs/authentication.md), bind to 127.0.0.1, or pass --insecure-no-auth to accept the risk")
{
    public override ErrorKind Kind => ErrorKind.Forbidden;
}

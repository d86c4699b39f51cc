namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// <c>Mizzen:Auth:Throttle</c>: after <see cref="FreeFailures"/> failed logins for one user name or from one address, each further attempt
/// must wait <see cref="BaseDelay"/>, doubled per failure, at most <see cref="MaxDelay"/>; failures older than <see cref="Window"/> are forgotten.
/// </summary>
public sealed class LoginThrottleOptions
{
    public int FreeFailures { get; set; } = 3;

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}

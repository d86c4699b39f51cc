namespace Mizzen.Core.Model;

/// <summary>Who started a run; <c>anonymous</c> when no authentication is configured.</summary>
public sealed class AuthenticationDetails
{
    public string User { get; set; } = Users.Anonymous;
    public List<string> AllowedAccounts { get; set; } = [];
}

public sealed class PausedDetails
{
    public string? PausedBy { get; set; }
    public long? PauseTime { get; set; }
    public string? ResumedBy { get; set; }
    public long? ResumeTime { get; set; }

    /// <summary>Total time spent paused, summed over every pause; excluded from timeouts.</summary>
    public long PausedMs { get; set; }

    public bool IsPaused => PauseTime is not null && ResumeTime is null;
}

public sealed class LastModifiedDetails
{
    public string User { get; set; } = Users.Anonymous;
    public List<string> AllowedAccounts { get; set; } = [];
    public long LastModifiedTime { get; set; }
}

public static class Users
{
    public const string Anonymous = "anonymous";
}

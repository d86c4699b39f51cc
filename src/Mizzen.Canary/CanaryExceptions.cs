using Mizzen.Canary.Configs;

namespace Mizzen.Canary;

/// <summary>Base of the canary component's errors; the message is meant for the user.</summary>
public class CanaryException : Exception
{
    public CanaryException(string message)
        : base(message)
    {
    }

    public CanaryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when retrying the same call later may succeed (a metric store was unavailable).</summary>
    public virtual bool IsTransient => false;
}

/// <summary>A canary config (or request) that cannot be used; <see cref="Issues"/> names each problem and where it is.</summary>
public sealed class CanaryConfigException(string message, IReadOnlyList<CanaryConfigIssue> issues, Exception? innerException = null)
    : CanaryException(message, innerException)
{
    public IReadOnlyList<CanaryConfigIssue> Issues { get; } = issues;
}

/// <summary>A metric query could not be answered.</summary>
public sealed class MetricsFetchException(string message, bool isTransient, Exception? innerException = null)
    : CanaryException(message, innerException)
{
    public override bool IsTransient { get; } = isTransient;
}

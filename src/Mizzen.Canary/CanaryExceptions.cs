using Mizzen.Canary.Configs;
using Mizzen.Core.Errors;

namespace Mizzen.Canary;

/// <summary>Base of the canary component's errors; the message is meant for the user. By default the caller's input is wrong.</summary>
public class CanaryException : MizzenException
{
    public CanaryException(string message)
        : base(message)
    {
    }

    public CanaryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A canary config (or request) that cannot be used; <see cref="Issues"/> names each problem and where it is.</summary>
public sealed class CanaryConfigException(string message, IReadOnlyList<CanaryConfigIssue> issues, Exception? innerException = null)
    : CanaryException(message, innerException)
{
    public IReadOnlyList<CanaryConfigIssue> Issues { get; } = issues;

    /// <summary>The errors (not the warnings), for the HTTP edge's <c>errors: [{location, message}]</c>.</summary>
    public override IReadOnlyList<ValidationProblem> Problems =>
        [.. Issues.Where(i => i.Severity == CanaryConfigIssueSeverity.Error).Select(i => new ValidationProblem(i.Path == "$" ? "" : i.Path, i.Message))];
}

/// <summary>A metric query could not be answered: the metric store failed (transient) or refused the query.</summary>
public sealed class MetricsFetchException(string message, bool isTransient, Exception? innerException = null)
    : CanaryException(message, innerException)
{
    public override bool IsTransient { get; } = isTransient;

    public override ErrorKind Kind => ErrorKind.Upstream;
}

namespace Mizzen.Canary.Configs;

public enum CanaryConfigIssueSeverity
{
    /// <summary>The config is loaded, but probably does not do what its author meant.</summary>
    Warning,

    /// <summary>The config is rejected.</summary>
    Error,
}

/// <summary>One validation finding: where (a JSON path such as <c>metrics[3].name</c>) and what.</summary>
public sealed record CanaryConfigIssue(CanaryConfigIssueSeverity Severity, string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

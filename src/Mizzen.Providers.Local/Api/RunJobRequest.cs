namespace Mizzen.Providers.Local.Api;

/// <summary>A one-off job from a bundle (runJob).</summary>
public sealed record RunJobRequest
{
    public required string Account { get; init; }

    public string Application { get; init; } = "job";

    public required LocalArtifact Artifact { get; init; }

    public string? Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// A finished job: exit code (null when it timed out and was killed), the output (bounded) and the properties from
/// <c>SPINNAKER_PROPERTY_K=V</c> and <c>SPINNAKER_CONFIG_JSON={...}</c> lines.
/// </summary>
public sealed record RunJobResult(
    string JobId,
    int? ExitCode,
    bool TimedOut,
    string Output,
    IReadOnlyDictionary<string, object?> Properties)
{
    public bool Succeeded => ExitCode == 0;
}

namespace Mizzen.Providers.Local.Api;

/// <summary>A one-off job from a bundle (runJob).</summary>
public sealed record RunJobRequest
{
    /// <summary>The job's id, chosen by the caller: 1-100 characters of <c>[a-z0-9-]</c> (it names the job's folder).</summary>
    public required string JobId { get; init; }

    public required string Account { get; init; }

    public string Application { get; init; } = "job";

    public required LocalArtifact Artifact { get; init; }

    /// <summary>Program to run; empty = the Procfile's <c>job:</c> line, else its <c>web:</c> line.</summary>
    public string? Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Environment of the job (not written to disk).</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
}

/// <summary>A job as the provider sees it: <see cref="Result"/> is null while it runs.</summary>
public sealed record LocalJobStatus(string JobId, RunJobResult? Result)
{
    public bool IsRunning => Result is null;
}

/// <summary>
/// A finished job: exit code (null when it was killed or its process vanished), whether it was killed at its timeout, the output
/// (stdout and stderr, the tail bounded by <c>JobOutputMaxChars</c>) and the properties from <c>SPINNAKER_PROPERTY_K=V</c> and
/// <c>SPINNAKER_CONFIG_JSON={...}</c> lines anywhere in the output.
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

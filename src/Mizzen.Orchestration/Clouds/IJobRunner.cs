using System.Text.Json.Nodes;

namespace Mizzen.Orchestration.Clouds;

/// <summary>Runs a one-off job to completion (runJob).</summary>
public interface IJobRunner
{
    Task<JobOutcome> RunAsync(JobSpec spec, CancellationToken cancellationToken);
}

public sealed record JobSpec
{
    public required string Account { get; init; }

    public string Application { get; init; } = "job";

    public required CloudArtifact Artifact { get; init; }

    /// <summary>Program to run; empty = the bundle's own job command (the local provider's <c>Procfile</c> <c>job:</c> line).</summary>
    public string? Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// A finished job: exit code (null when it timed out and was killed), output (bounded, the tail) and the properties it printed as
/// <c>SPINNAKER_PROPERTY_K=V</c> and <c>SPINNAKER_CONFIG_JSON={...}</c> lines.
/// </summary>
public sealed record JobOutcome(string JobId, int? ExitCode, bool TimedOut, string Output, JsonObject Properties);

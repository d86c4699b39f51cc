using System.Text.Json.Nodes;

namespace Mizzen.Orchestration.Clouds;

/// <summary>
/// Runs one-off jobs (runJob) as start + poll, the way Orca's runJob / monitorJob tasks do: a job outlives the task call that
/// started it, and outlives Mizzen when the provider can manage it (the local provider keeps a job's state in its folder).
/// The caller chooses the job id, so starting twice with the same id (a redelivered message) starts one job.
/// </summary>
public interface IJobRunner
{
    /// <summary>
    /// Starts the job named <see cref="JobSpec.JobId"/> and returns once it runs (or has failed to launch). Idempotent: when a job
    /// with that id already exists in the account, running or finished, it is left alone.
    /// </summary>
    Task StartAsync(JobSpec spec, CancellationToken cancellationToken);

    /// <summary>The job's state: null when the account has no job of that id (never started, or its files were cleaned up).</summary>
    Task<JobStatus?> GetAsync(string account, string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Kills a running job (with every process it started) and records it as finished, killed, with no exit code; <paramref name="reason"/>
    /// says whether it ran out of time. A no-op when the job is finished or unknown.
    /// </summary>
    Task CancelAsync(string account, string jobId, JobKillReason reason, CancellationToken cancellationToken);
}

/// <summary>Why a job was killed: reported as <see cref="JobOutcome.TimedOut"/>.</summary>
public enum JobKillReason
{
    /// <summary>The pipeline or stage was cancelled.</summary>
    Canceled,

    /// <summary>The job ran past its timeout.</summary>
    TimedOut,
}

public sealed record JobSpec
{
    /// <summary>The job's name, chosen by the caller: lowercase letters, digits and dashes (the local provider uses it as a folder name).</summary>
    public required string JobId { get; init; }

    public required string Account { get; init; }

    public string Application { get; init; } = "job";

    public required CloudArtifact Artifact { get; init; }

    /// <summary>Program to run; empty = the bundle's own job command (the local provider's <c>Procfile</c> <c>job:</c> line).</summary>
    public string? Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
}

/// <summary>A job as the provider sees it: <see cref="Outcome"/> is null while it runs.</summary>
public sealed record JobStatus(string JobId, JobOutcome? Outcome)
{
    public bool IsRunning => Outcome is null;
}

/// <summary>
/// A finished job: exit code (null when it was killed, or its process vanished), whether it was killed at its timeout, output
/// (bounded, the tail) and the properties it printed as <c>SPINNAKER_PROPERTY_K=V</c> and <c>SPINNAKER_CONFIG_JSON={...}</c> lines.
/// </summary>
public sealed record JobOutcome(string JobId, int? ExitCode, bool TimedOut, string Output, JsonObject Properties);

namespace Mizzen.Providers.Local.State;

/// <summary>The stored desired state of a server group, with the processes it last ran (to re-adopt them after a restart).</summary>
public sealed class ServerGroupRecord
{
    public required string Name { get; set; }

    public required string Account { get; set; }

    public required string Application { get; set; }

    public required string Cluster { get; set; }

    public string? Stack { get; set; }

    public string? Detail { get; set; }

    public int Sequence { get; set; }

    public DateTimeOffset CreatedTime { get; set; }

    public required LocalArtifact Artifact { get; set; }

    /// <summary>Folder the bundle was unpacked into; instances run there.</summary>
    public required string AppFolder { get; set; }

    /// <summary>Resolved argv: an explicit command and args, or <c>/bin/sh -c "exec &lt;Procfile web line&gt;"</c>.</summary>
    public required List<string> Argv { get; set; }

    public Dictionary<string, string> Env { get; set; } = [];

    public required ServerGroupCapacity Capacity { get; set; }

    public required HealthCheckSpec HealthCheck { get; set; }

    public List<string> LoadBalancers { get; set; } = [];

    public bool Enabled { get; set; }

    public bool ScrapeMetrics { get; set; }

    public List<InstanceRecord> Instances { get; set; } = [];
}

/// <summary>An instance: its port for life, and the process it runs now (pid plus the kernel's start time, so a reused pid is not mistaken for it).</summary>
public sealed class InstanceRecord
{
    public required string Id { get; set; }

    public int Port { get; set; }

    public int? Pid { get; set; }

    public long? ProcessStartMarker { get; set; }

    public bool OwnProcessGroup { get; set; }

    public int Restarts { get; set; }

    public DateTimeOffset? LaunchTime { get; set; }
}

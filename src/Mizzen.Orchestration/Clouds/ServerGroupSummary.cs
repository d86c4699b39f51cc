namespace Mizzen.Orchestration.Clouds;

/// <summary>A server group as stages and read APIs see it (clouddriver's shape, provider-neutral).</summary>
public sealed record ServerGroupSummary
{
    public required string Name { get; init; }

    public required string Account { get; init; }

    public required string Application { get; init; }

    public required string Cluster { get; init; }

    public string? Stack { get; init; }

    public string? Detail { get; init; }

    /// <summary>The <c>vNNN</c> number.</summary>
    public int Sequence { get; init; }

    public DateTimeOffset CreatedTime { get; init; }

    public required Capacity Capacity { get; init; }

    public bool Enabled { get; init; }

    public required CloudArtifact Artifact { get; init; }

    public IReadOnlyList<string> LoadBalancers { get; init; } = [];

    public required InstanceCounts Instances { get; init; }
}

/// <summary>Instances per state. <see cref="Up"/>: healthy and in service; <see cref="OutOfService"/>: healthy but the group is disabled.</summary>
public sealed record InstanceCounts(int Total, int Up, int Down, int Starting, int OutOfService, int Crashed)
{
    /// <summary>Healthy whatever the enabled state: what a wait for health compares with the desired capacity.</summary>
    public int Healthy => Up + OutOfService;
}

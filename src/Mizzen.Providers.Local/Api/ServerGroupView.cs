namespace Mizzen.Providers.Local.Api;

/// <summary>A server group as listings show it (clouddriver's shape, env with secrets redacted).</summary>
public sealed record ServerGroupView
{
    public required string Name { get; init; }

    public required string Account { get; init; }

    public required string Application { get; init; }

    public required string Cluster { get; init; }

    public string? Stack { get; init; }

    public string? Detail { get; init; }

    public int Sequence { get; init; }

    public DateTimeOffset CreatedTime { get; init; }

    public required ServerGroupCapacity Capacity { get; init; }

    public bool Enabled { get; init; }

    public required LocalArtifact Artifact { get; init; }

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> LoadBalancers { get; init; } = [];

    public required IReadOnlyList<InstanceView> Instances { get; init; }

    public required InstanceCounts InstanceCounts { get; init; }
}

public sealed record InstanceView(
    string Id,
    string ServerGroup,
    InstanceState State,
    int Port,
    int? Pid,
    int Restarts,
    DateTimeOffset? LaunchTime);

/// <summary>Counts per state, as Deck shows them; <see cref="Up"/> is what wait-for-health compares with the desired capacity.</summary>
public sealed record InstanceCounts(int Total, int Up, int Down, int Starting, int OutOfService, int Crashed);

public sealed record ClusterView(string Name, string Account, string Application, IReadOnlyList<ServerGroupView> ServerGroups);

public sealed record ServerGroupHealth(string ServerGroup, int Desired, int Up, int Total, bool Enabled);

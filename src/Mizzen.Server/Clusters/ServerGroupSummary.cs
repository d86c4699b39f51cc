using Mizzen.Orchestration.Clouds;

namespace Mizzen.Server.Clusters;

/// <summary>
/// A server group in clouddriver's shape (what Deck's cluster view and <c>spin</c> read): <c>isDisabled</c>, <c>capacity</c>,
/// <c>instanceCounts</c>, <c>moniker</c>, <c>createdTime</c> in epoch milliseconds, instances with <c>healthState</c>. <c>type</c> and
/// <c>cloudProvider</c> name the provider, <c>region</c> is its location (a local server group's account, a Kubernetes namespace),
/// <c>kind</c> what it is in the provider's words and <c>details</c> the provider's own facts.
/// </summary>
public sealed record ServerGroupSummary(
    string Name,
    string Account,
    string Region,
    string Cluster,
    string Type,
    string CloudProvider,
    string Kind,
    long CreatedTime,
    bool IsDisabled,
    CapacitySummary Capacity,
    InstanceCountsSummary InstanceCounts,
    IReadOnlyList<InstanceSummary> Instances,
    IReadOnlyList<string> LoadBalancers,
    MonikerSummary Moniker,
    ArtifactSummary Artifact,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyDictionary<string, string> Details)
{
    public static ServerGroupSummary From(ServerGroupDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        var group = details.Summary;
        return new(
            group.Name,
            group.Account,
            details.Region,
            group.Cluster,
            details.CloudProvider,
            details.CloudProvider,
            details.Kind,
            group.CreatedTime.ToUnixTimeMilliseconds(),
            !group.Enabled,
            new CapacitySummary(group.Capacity.Min, group.Capacity.Max, group.Capacity.Desired),
            InstanceCountsSummary.From(group.Instances),
            [.. details.Instances.Select(InstanceSummary.From)],
            group.LoadBalancers,
            new MonikerSummary(group.Application, group.Cluster, group.Stack, group.Detail, group.Sequence),
            new ArtifactSummary(group.Artifact.Type, group.Artifact.Name, group.Artifact.Version, group.Artifact.Reference),
            details.Env,
            details.Details);
    }
}

public sealed record CapacitySummary(int Min, int Max, int Desired);

/// <summary>Spinnaker's moniker: <c>app</c>, <c>cluster</c>, <c>stack</c>, <c>detail</c>, <c>sequence</c>.</summary>
public sealed record MonikerSummary(string App, string Cluster, string? Stack, string? Detail, int Sequence);

public sealed record ArtifactSummary(string Type, string? Name, string? Version, string Reference);

/// <summary>clouddriver's counts; <c>unknown</c> holds crashed instances (restarting with backoff).</summary>
public sealed record InstanceCountsSummary(int Total, int Up, int Down, int Starting, int OutOfService, int Unknown)
{
    public static InstanceCountsSummary From(InstanceCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return new(counts.Total, counts.Up, counts.Down, counts.Starting, counts.OutOfService, counts.Crashed);
    }
}

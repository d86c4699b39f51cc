using Mizzen.Providers.Local.Api;

namespace Mizzen.Server.Clusters;

/// <summary>
/// A server group in clouddriver's shape (what Deck's cluster view and <c>spin</c> read): <c>isDisabled</c>, <c>capacity</c>,
/// <c>instanceCounts</c>, <c>moniker</c>, <c>createdTime</c> in epoch milliseconds, instances with <c>healthState</c>.
/// </summary>
public sealed record ServerGroupSummary(
    string Name,
    string Account,
    string Region,
    string Cluster,
    string Type,
    string CloudProvider,
    long CreatedTime,
    bool IsDisabled,
    ServerGroupCapacity Capacity,
    InstanceCountsSummary InstanceCounts,
    IReadOnlyList<InstanceSummary> Instances,
    IReadOnlyList<string> LoadBalancers,
    MonikerSummary Moniker,
    ArtifactSummary Artifact,
    IReadOnlyDictionary<string, string> Env)
{
    public const string Provider = "local";

    public static ServerGroupSummary From(ServerGroupView view) => new(
        view.Name,
        view.Account,
        Provider,
        view.Cluster,
        Provider,
        Provider,
        view.CreatedTime.ToUnixTimeMilliseconds(),
        !view.Enabled,
        view.Capacity,
        InstanceCountsSummary.From(view.InstanceCounts),
        [.. view.Instances.Select(i => InstanceSummary.From(i, view.Account, view.Cluster))],
        view.LoadBalancers,
        new MonikerSummary(view.Application, view.Cluster, view.Stack, view.Detail, view.Sequence),
        new ArtifactSummary(view.Artifact.Type, view.Artifact.Name, view.Artifact.Version, view.Artifact.Reference),
        view.Env);
}

/// <summary>Spinnaker's moniker: <c>app</c>, <c>cluster</c>, <c>stack</c>, <c>detail</c>, <c>sequence</c>.</summary>
public sealed record MonikerSummary(string App, string Cluster, string? Stack, string? Detail, int Sequence);

public sealed record ArtifactSummary(string Type, string? Name, string? Version, string Reference);

/// <summary>clouddriver's counts; <c>unknown</c> holds crashed instances (restarting with backoff).</summary>
public sealed record InstanceCountsSummary(int Total, int Up, int Down, int Starting, int OutOfService, int Unknown)
{
    public static InstanceCountsSummary From(InstanceCounts counts) =>
        new(counts.Total, counts.Up, counts.Down, counts.Starting, counts.OutOfService, counts.Crashed);
}

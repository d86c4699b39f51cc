namespace Mizzen.Orchestration.Clouds;

/// <summary>
/// Orca's traffic guard: every disable, destroy and resize of a server group asks first. One implementation serves every provider
/// (<see cref="Guards.ClusterTrafficGuard"/>): it reads the application's <c>trafficGuards</c> (<c>[{account, location, stack, detail,
/// enabled}]</c>) and refuses an operation that would leave a protected cluster with no instances up, counting them through the
/// provider's <see cref="IClusterReads"/>.
/// </summary>
public interface ITrafficGuard
{
    Task<GuardDecision> CheckAsync(string application, GuardedChange change, CancellationToken cancellationToken);
}

public enum GuardedChangeKind
{
    Disable,
    Destroy,
    Resize,
}

/// <summary>What a stage is about to do; <see cref="NewDesired"/> for a resize.</summary>
public sealed record GuardedChange(GuardedChangeKind Kind, string Account, string ServerGroup, int? NewDesired = null)
{
    /// <summary>The provider the server group belongs to (a stage's <c>cloudProvider</c>); null: <see cref="CloudProviderRegistry.DefaultProvider"/>.</summary>
    public string? CloudProvider { get; init; }

    /// <summary>
    /// The server groups the change acts on together, when <see cref="ServerGroup"/> names something that is not one server group
    /// itself — a Kubernetes Deployment (<c>"deployment web"</c>), whose ReplicaSets all go with it. Null: just <see cref="ServerGroup"/>.
    /// A resize then leaves at most <see cref="NewDesired"/> of them up, all together.
    /// </summary>
    public IReadOnlyList<string>? ServerGroups { get; init; }
}

/// <summary>Allowed, or refused with the message to show (it names the cluster and the guard).</summary>
public sealed record GuardDecision(bool Allowed, string? Reason)
{
    public static GuardDecision Allow { get; } = new(true, null);

    public static GuardDecision Refuse(string reason) => new(false, reason);
}

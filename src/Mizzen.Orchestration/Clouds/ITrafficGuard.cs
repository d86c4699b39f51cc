namespace Mizzen.Orchestration.Clouds;

/// <summary>
/// Orca's traffic guard: every disable, destroy and resize of a server group asks first. The provider reads the application's
/// <c>trafficGuards</c> (<c>[{account, location, stack, detail, enabled}]</c>) and refuses an operation that would leave a
/// protected cluster with no instances up.
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
public sealed record GuardedChange(GuardedChangeKind Kind, string Account, string ServerGroup, int? NewDesired = null);

/// <summary>Allowed, or refused with the message to show (it names the cluster and the guard).</summary>
public sealed record GuardDecision(bool Allowed, string? Reason)
{
    public static GuardDecision Allow { get; } = new(true, null);

    public static GuardDecision Refuse(string reason) => new(false, reason);
}

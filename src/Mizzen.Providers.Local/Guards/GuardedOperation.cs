namespace Mizzen.Providers.Local.Guards;

/// <summary>What a server-group task is about to do, for the traffic guard to judge.</summary>
public sealed record GuardedOperation(GuardedOperationKind Kind, string Account, string ServerGroup, int? NewDesired = null)
{
    public static GuardedOperation Disable(string account, string serverGroup) => new(GuardedOperationKind.Disable, account, serverGroup);

    public static GuardedOperation Destroy(string account, string serverGroup) => new(GuardedOperationKind.Destroy, account, serverGroup);

    public static GuardedOperation Resize(string account, string serverGroup, int desired) => new(GuardedOperationKind.Resize, account, serverGroup, desired);
}

public enum GuardedOperationKind
{
    Disable,
    Destroy,
    Resize,
}

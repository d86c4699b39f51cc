namespace Mizzen.Providers.Local.Api;

/// <summary>
/// What a load balancer does with a target now: the configured <see cref="Weight"/>, the Up instances it may route to, and its
/// <see cref="Percent"/> of new requests after disabled server groups, server groups without Up instances and zero weights drop out.
/// </summary>
public sealed record EffectiveRoute(string ServerGroup, int Weight, int RoutableInstances, double Percent, RouteReason Reason);

/// <summary>Why a target gets its share: <see cref="Routed"/>, or the reason it gets none.</summary>
public enum RouteReason
{
    Routed,
    Disabled,
    NoUpInstances,
    ZeroWeight,
    ServerGroupMissing,
}

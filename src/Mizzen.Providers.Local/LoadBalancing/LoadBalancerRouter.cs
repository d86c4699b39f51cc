using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.ServerGroups;

namespace Mizzen.Providers.Local.LoadBalancing;

/// <summary>
/// Chooses where a request goes: a server group by weight among the enabled ones with Up instances, then an instance inside it.
/// <see cref="EffectiveRouting"/> reads the same eligibility rule without picking, for what the API shows as each target's share.
/// </summary>
internal sealed class LoadBalancerRouter(string account, ServerGroupDirectory directory)
{
    private readonly WeightedTargetPicker groupPicker = new();
    private readonly LeastRequestsPicker instancePicker = new();
    private volatile LoadBalancerTarget[] targets = [];

    public IReadOnlyList<LoadBalancerTarget> Targets => targets;

    public void SetTargets(IEnumerable<LoadBalancerTarget> value) => targets = [.. value];

    public (ServerGroupRuntime Group, InstanceEndpoint Endpoint)? Pick(InstanceEndpoint? avoid = null)
    {
        var candidates = Candidates(targets);
        var eligible = new bool[candidates.Length];
        var weights = new int[candidates.Length];
        var keys = new string[candidates.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            if (avoid is not null && candidates[i].Endpoints.Length > 1)
            {
                candidates[i] = candidates[i] with { Endpoints = [.. candidates[i].Endpoints.Where(e => e != avoid)] };
            }

            eligible[i] = candidates[i].Endpoints.Length > 0;
            weights[i] = candidates[i].Target.Weight;
            keys[i] = candidates[i].Target.ServerGroup;
        }

        var chosen = groupPicker.Pick(weights, eligible, keys);
        return chosen < 0 ? null : (candidates[chosen].Group!, instancePicker.Pick(candidates[chosen].Endpoints));
    }

    /// <summary>
    /// Each target's share of new requests now: its weight over the weights of the targets <see cref="Pick"/> may choose (an enabled
    /// server group with an Up instance and a weight above 0), or 0 with the reason it gets nothing. Reads; changes no routing state.
    /// </summary>
    public IReadOnlyList<EffectiveRoute> EffectiveRouting()
    {
        var candidates = Candidates(targets);
        var routable = candidates.Where(c => c.Endpoints.Length > 0 && c.Target.Weight > 0).Sum(c => (long)c.Target.Weight);
        return [.. candidates.Select(c =>
        {
            var reason = c switch
            {
                { Group: null } => RouteReason.ServerGroupMissing,
                { Group.Enabled: false } => RouteReason.Disabled,
                { Endpoints.Length: 0 } => RouteReason.NoUpInstances,
                { Target.Weight: <= 0 } => RouteReason.ZeroWeight,
                _ => RouteReason.Routed,
            };
            var share = reason == RouteReason.Routed ? 100.0 * c.Target.Weight / routable : 0;
            return new EffectiveRoute(c.Target.ServerGroup, c.Target.Weight, c.Endpoints.Length, Math.Round(share, 1), reason);
        })];
    }

    private Candidate[] Candidates(LoadBalancerTarget[] current)
    {
        var candidates = new Candidate[current.Length];
        for (var i = 0; i < current.Length; i++)
        {
            var group = directory.Find(account, current[i].ServerGroup);
            candidates[i] = new Candidate(current[i], group, group?.RoutableEndpoints ?? []);
        }

        return candidates;
    }

    private readonly record struct Candidate(LoadBalancerTarget Target, ServerGroupRuntime? Group, InstanceEndpoint[] Endpoints);
}

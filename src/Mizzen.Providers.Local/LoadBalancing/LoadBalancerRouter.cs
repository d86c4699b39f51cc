using Mizzen.Providers.Local.ServerGroups;

namespace Mizzen.Providers.Local.LoadBalancing;

/// <summary>Chooses where a request goes: a server group by weight among the enabled ones with Up instances, then an instance inside it.</summary>
internal sealed class LoadBalancerRouter(string account, ServerGroupDirectory directory)
{
    private readonly WeightedTargetPicker groupPicker = new();
    private readonly LeastRequestsPicker instancePicker = new();
    private volatile LoadBalancerTarget[] targets = [];

    public IReadOnlyList<LoadBalancerTarget> Targets => targets;

    public void SetTargets(IEnumerable<LoadBalancerTarget> value) => targets = [.. value];

    public (ServerGroupRuntime Group, InstanceEndpoint Endpoint)? Pick(InstanceEndpoint? avoid = null)
    {
        var current = targets;
        var groups = new ServerGroupRuntime?[current.Length];
        var endpoints = new InstanceEndpoint[current.Length][];
        var eligible = new bool[current.Length];
        var weights = new int[current.Length];
        var keys = new string[current.Length];
        for (var i = 0; i < current.Length; i++)
        {
            groups[i] = directory.Find(account, current[i].ServerGroup);
            endpoints[i] = groups[i]?.RoutableEndpoints ?? [];
            if (avoid is not null && endpoints[i].Length > 1)
            {
                endpoints[i] = [.. endpoints[i].Where(e => e != avoid)];
            }

            eligible[i] = endpoints[i].Length > 0;
            weights[i] = current[i].Weight;
            keys[i] = current[i].ServerGroup;
        }

        var chosen = groupPicker.Pick(weights, eligible, keys);
        return chosen < 0 ? null : (groups[chosen]!, instancePicker.Pick(endpoints[chosen]));
    }
}

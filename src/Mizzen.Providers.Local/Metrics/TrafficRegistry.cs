using System.Collections.Concurrent;

namespace Mizzen.Providers.Local.Metrics;

/// <summary>Traffic counters of every server group any load balancer fronts (kept after destroy, for canary reports).</summary>
internal sealed class TrafficRegistry
{
    private readonly ConcurrentDictionary<(string, string), ServerGroupTraffic> traffic = new();

    public ServerGroupTraffic For(string account, string serverGroup) =>
        traffic.GetOrAdd((account, serverGroup), key => new ServerGroupTraffic(key.Item1, key.Item2));

    public ServerGroupTraffic? Find(string account, string serverGroup) => traffic.GetValueOrDefault((account, serverGroup));

    public IEnumerable<ServerGroupTraffic> All => traffic.Values.OrderBy(t => t.Account, StringComparer.Ordinal).ThenBy(t => t.ServerGroup, StringComparer.Ordinal);
}

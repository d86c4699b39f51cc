namespace Mizzen.Providers.Local.LoadBalancing;

/// <summary>Spreads requests inside a server group: the endpoint with the fewest in-flight requests, ties broken round robin.</summary>
internal sealed class LeastRequestsPicker
{
    private int next;

    public InstanceEndpoint Pick(InstanceEndpoint[] endpoints)
    {
        var start = (int)((uint)Interlocked.Increment(ref next) % (uint)endpoints.Length);
        var best = endpoints[start];
        for (var i = 1; i < endpoints.Length; i++)
        {
            var candidate = endpoints[(start + i) % endpoints.Length];
            if (candidate.InFlight < best.InFlight)
            {
                best = candidate;
            }
        }

        return best;
    }
}

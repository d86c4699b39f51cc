namespace Mizzen.Providers.Local.Metrics;

/// <summary>What the load balancers saw for one server group: requests by status class, a latency histogram, connections open now.</summary>
internal sealed class ServerGroupTraffic(string account, string serverGroup)
{
    public static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    private readonly long[] byClass = new long[StatusClasses.Length];
    private readonly long[] buckets = new long[LatencyBuckets.UpperBounds.Length];
    private long sumMicros;
    private long active;

    public string Account { get; } = account;

    public string ServerGroup { get; } = serverGroup;

    public long Active => Interlocked.Read(ref active);

    public void Begin() => Interlocked.Increment(ref active);

    public void Complete(int statusCode, TimeSpan elapsed)
    {
        var index = Math.Clamp((statusCode / 100) - 1, 0, StatusClasses.Length - 1);
        Interlocked.Increment(ref byClass[index]);
        Interlocked.Increment(ref buckets[LatencyBuckets.IndexOf(elapsed.TotalSeconds)]);
        Interlocked.Add(ref sumMicros, (long)(elapsed.TotalMilliseconds * 1000));
        Interlocked.Decrement(ref active);
    }

    public TrafficSnapshot Snapshot()
    {
        var classes = new long[byClass.Length];
        for (var i = 0; i < classes.Length; i++)
        {
            classes[i] = Interlocked.Read(ref byClass[i]);
        }

        var counts = new long[buckets.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref buckets[i]);
        }

        return new TrafficSnapshot(classes, counts, Interlocked.Read(ref sumMicros) / 1e6, Active);
    }
}

/// <summary>Counters at one moment; <see cref="Buckets"/> are per bucket (not cumulative).</summary>
internal sealed record TrafficSnapshot(long[] ByClass, long[] Buckets, double SumSeconds, long Active)
{
    public long Total => ByClass.Sum();

    public long Of(string statusClass) => ByClass[Array.IndexOf(ServerGroupTraffic.StatusClasses, statusClass)];
}

namespace Mizzen.Providers.Local.LoadBalancing;

/// <summary>An instance as a load balancer sees it: where to send requests and how many are in flight there now.</summary>
internal sealed class InstanceEndpoint(string instanceId, int port)
{
    private int inFlight;

    public string InstanceId { get; } = instanceId;

    public int Port { get; } = port;

    public Uri BaseUri { get; } = new($"http://127.0.0.1:{port}");

    public int InFlight => Volatile.Read(ref inFlight);

    public void Begin() => Interlocked.Increment(ref inFlight);

    public void End() => Interlocked.Decrement(ref inFlight);
}

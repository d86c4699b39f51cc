namespace Mizzen.Providers.Local.State;

/// <summary>The stored desired state of a load balancer.</summary>
public sealed class LoadBalancerRecord
{
    public required string Name { get; set; }

    public required string Account { get; set; }

    public int Port { get; set; }

    public List<LoadBalancerTarget> Targets { get; set; } = [];
}

/// <summary>A cluster remembers the last server group version it used, so versions are never reused even after a destroy.</summary>
public sealed class ClusterRecord
{
    public required string Name { get; set; }

    public required string Account { get; set; }

    public int LastSequence { get; set; }
}

namespace Mizzen.Providers.Local.Api;

/// <summary>What a deploy (createServerGroup) asks of the local provider.</summary>
public sealed record DeployServerGroupRequest
{
    public required string Application { get; init; }

    public required string Account { get; init; }

    public string? Stack { get; init; }

    public string? Detail { get; init; }

    public required LocalArtifact Artifact { get; init; }

    /// <summary>Program to run; when empty the bundle's <c>Procfile</c> <c>web:</c> line is used.</summary>
    public string? Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    public ServerGroupCapacity Capacity { get; init; } = ServerGroupCapacity.Exactly(1);

    public HealthCheckSpec HealthCheck { get; init; } = new();

    public IReadOnlyList<string> LoadBalancers { get; init; } = [];

    /// <summary>Weight of the new server group in each of its load balancers (default 100).</summary>
    public int LoadBalancerWeight { get; init; } = 100;

    /// <summary>Scrape each instance's own <c>/metrics</c> into the embedded time-series store every 10 s.</summary>
    public bool ScrapeMetrics { get; init; }

    /// <summary>Start enabled (receiving traffic once Up). Red/black deploys may start disabled and enable later.</summary>
    public bool Enabled { get; init; } = true;
}

namespace Mizzen.Orchestration.Clouds;

/// <summary>What createServerGroup asks a provider to deploy: a new, immutable server group of the cluster <c>app-stack-detail</c>.</summary>
public sealed record ServerGroupSpec
{
    public required string Application { get; init; }

    public required string Account { get; init; }

    public string? Stack { get; init; }

    /// <summary>Spinnaker's <c>freeFormDetails</c>.</summary>
    public string? Detail { get; init; }

    public required CloudArtifact Artifact { get; init; }

    /// <summary>Program to run; empty = the bundle's own start command (the local provider's <c>Procfile</c> <c>web:</c> line).</summary>
    public string? Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    public Capacity Capacity { get; init; } = Capacity.Exactly(1);

    public HealthCheck HealthCheck { get; init; } = new();

    public IReadOnlyList<string> LoadBalancers { get; init; } = [];

    public bool ScrapeMetrics { get; init; }

    /// <summary>Start taking traffic once Up (false for rolling red/black, which enables it step by step).</summary>
    public bool Enabled { get; init; } = true;
}

/// <summary>How instances are judged healthy: <c>http</c> (GET <see cref="Path"/> answers 2xx/3xx), <c>tcp</c> or <c>none</c>.</summary>
public sealed record HealthCheck
{
    public string Type { get; init; } = "http";

    public string Path { get; init; } = "/health";

    public double IntervalSeconds { get; init; } = 2;

    public double TimeoutSeconds { get; init; } = 1;

    public int HealthyThreshold { get; init; } = 1;

    public int UnhealthyThreshold { get; init; } = 3;
}

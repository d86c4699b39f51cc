namespace Mizzen.Providers.Local.Api;

/// <summary>How instances are checked: <c>http</c> (GET <see cref="Path"/> answers 2xx/3xx), <c>tcp</c> (the port accepts) or <c>none</c> (Up while running).</summary>
public sealed record HealthCheckSpec
{
    public static HealthCheckSpec None { get; } = new() { Type = HealthCheckType.None };

    public HealthCheckType Type { get; init; } = HealthCheckType.Http;

    public string Path { get; init; } = "/health";

    public double IntervalSeconds { get; init; } = 2;

    public double TimeoutSeconds { get; init; } = 1;

    public int HealthyThreshold { get; init; } = 1;

    public int UnhealthyThreshold { get; init; } = 3;

    public TimeSpan Interval => TimeSpan.FromSeconds(Math.Max(0.05, IntervalSeconds));

    public TimeSpan Timeout => TimeSpan.FromSeconds(Math.Max(0.05, TimeoutSeconds));
}

public enum HealthCheckType
{
    Http,
    Tcp,
    None,
}

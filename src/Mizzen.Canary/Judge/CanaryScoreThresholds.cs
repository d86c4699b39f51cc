namespace Mizzen.Canary.Judge;

/// <summary>The score thresholds of a run (Kayenta takes them from the execution request, not the config).</summary>
public sealed record CanaryScoreThresholds(double Pass, double Marginal)
{
    /// <summary>Orca's default when a stage gives none.</summary>
    public static CanaryScoreThresholds OrcaDefault { get; } = new(75, 50);
}

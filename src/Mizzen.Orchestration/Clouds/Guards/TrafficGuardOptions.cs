namespace Mizzen.Orchestration.Clouds.Guards;

/// <summary>Settings of the traffic guard (<c>Mizzen:TrafficGuards</c>).</summary>
public sealed class TrafficGuardOptions
{
    public const string SectionName = "Mizzen:TrafficGuards";

    /// <summary>
    /// Spinnaker's <c>traffic-guards.min-capacity-ratio</c>: an operation on a protected cluster is refused when it would leave
    /// (Up instances after) / (Up instances now) at or below this. 0 by default: refused only when nothing would be left up.
    /// </summary>
    public double MinCapacityRatio { get; set; }
}

namespace Mizzen.Canary.Judge;

/// <summary>What the scorer needs from a metric result.</summary>
public sealed record ScoredMetric(string Name, MetricClassificationLabel Label, IReadOnlyList<string> Groups, bool Critical, bool Muted = false, string Reason = "");

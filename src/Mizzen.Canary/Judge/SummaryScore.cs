namespace Mizzen.Canary.Judge;

/// <summary>The run's score (0-100, rounded HALF_UP to 2 decimals), with group scores and the reason for a forced 0.</summary>
public sealed record SummaryScore(double Score, IReadOnlyList<GroupScore> Groups, string Reason, bool CriticalFailure, bool TooMuchNodata);

namespace Mizzen.Canary.Statistics;

/// <summary>
/// The outcome of the rank-sum test: the confidence interval for the location shift
/// (experiment − control) and its Hodges-Lehmann estimate. As in R, the bounds are not sorted:
/// with heavily tied data <see cref="LowerConfidence"/> can exceed <see cref="UpperConfidence"/>.
/// </summary>
public readonly record struct MannWhitneyResult(double LowerConfidence, double UpperConfidence, double Estimate);

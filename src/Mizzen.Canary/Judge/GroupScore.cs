namespace Mizzen.Canary.Judge;

/// <summary>
/// One group's score: the share of Pass among Pass, High, Low and NodataFailMetric results (Nodata and Error do not
/// count). <see cref="NoData"/> groups score 0 here but count as 100 in the summary.
/// </summary>
public sealed record GroupScore(string Name, double Score, bool NoData, double Weight, int Pass, int High, int Low, int NodataFailMetric, int Nodata, int Error);

namespace Mizzen.Server.Benchmarks.Shared;

/// <summary>Nearest-rank percentiles, the same rule for every figure of this bench.</summary>
internal static class Stats
{
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];
    }
}

namespace Mizzen.Engine.Benchmarks.Reporting;

/// <summary>Nearest-rank percentiles of a sample.</summary>
internal sealed class Percentiles
{
    private readonly double[] sorted;

    public Percentiles(IEnumerable<double> values)
    {
        sorted = [.. values];
        Array.Sort(sorted);
    }

    public int Count => sorted.Length;

    public double Max => sorted.Length == 0 ? double.NaN : sorted[^1];

    public double Mean => sorted.Length == 0 ? double.NaN : sorted.Average();

    public double At(double percentile)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

namespace Mizzen.Canary.Statistics;

/// <summary>Percentiles by Hyndman-Fan definition 7 (R's default, commons-math <c>R_7</c>): linear interpolation at h = (n − 1)·p/100.</summary>
public static class Percentile
{
    /// <param name="values">Any order; not modified.</param>
    /// <param name="p">The percentile in (0, 100].</param>
    public static double Of(IReadOnlyList<double> values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return OfSorted(sorted, p);
    }

    /// <summary>As <see cref="Of"/>, for values already sorted ascending.</summary>
    public static double OfSorted(ReadOnlySpan<double> sorted, double p)
    {
        if (!(p > 0 && p <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "percentile must be in (0, 100]");
        }

        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        if (sorted.Length == 1)
        {
            return sorted[0];
        }

        var h = (sorted.Length - 1) * p / 100.0;
        var low = (int)Math.Floor(h);
        if (low >= sorted.Length - 1)
        {
            return sorted[^1];
        }

        return sorted[low] + ((h - low) * (sorted[low + 1] - sorted[low]));
    }
}

namespace Mizzen.Canary.Statistics;

/// <summary>
/// Descriptive statistics of one side of a metric after pre-processing. <see cref="Min"/>, <see cref="Max"/>,
/// <see cref="Mean"/>, <see cref="Std"/> (sample, n − 1) and <see cref="Count"/> are Kayenta's <c>stats</c>;
/// all are 0 for an empty side, as in Kayenta. <see cref="Median"/> and <see cref="P95"/> (R-7) are ours, NaN when empty.
/// </summary>
public sealed record SummaryStatistics(int Count, double Min, double Max, double Mean, double Std, double Median, double P95)
{
    public static SummaryStatistics Empty { get; } = new(0, 0, 0, 0, 0, double.NaN, double.NaN);

    public static SummaryStatistics Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return Empty;
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var mean = Sample.Mean(sorted);
        var std = sorted.Length > 1 ? Math.Sqrt(Sample.SumOfSquaredDeviations(sorted, mean) / (sorted.Length - 1)) : 0.0;
        return new SummaryStatistics(sorted.Length, sorted[0], sorted[^1], mean, std, Percentile.OfSorted(sorted, 50), Percentile.OfSorted(sorted, 95));
    }
}

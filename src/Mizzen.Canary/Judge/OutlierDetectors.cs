using Mizzen.Canary.Statistics;

namespace Mizzen.Canary.Judge;

/// <summary>Marks outliers in a series; the result has one flag per value.</summary>
public interface IOutlierDetector
{
    bool[] Detect(IReadOnlyList<double> values);
}

/// <summary>
/// Tukey's fences: outside [Q1 − f·IQR, Q3 + f·IQR] (strictly). With <paramref name="reduceSensitivity"/> (what the
/// judge uses) the fences are widened to at least [P1, P99], so small samples do not lose their tails.
/// </summary>
public sealed class IqrOutlierDetector(double factor = 1.5, bool reduceSensitivity = false) : IOutlierDetector
{
    public bool[] Detect(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return [];
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var q1 = Percentile.OfSorted(sorted, 25);
        var q3 = Percentile.OfSorted(sorted, 75);
        var iqr = q3 - q1;
        var lower = q1 - (factor * iqr);
        var upper = q3 + (factor * iqr);
        if (reduceSensitivity)
        {
            lower = Math.Min(Percentile.OfSorted(sorted, 1), lower);
            upper = Math.Max(Percentile.OfSorted(sorted, 99), upper);
        }

        return values.Select(v => v > upper || v < lower).ToArray();
    }
}

/// <summary>Flags values more than k population standard deviations from the mean.</summary>
public sealed class KSigmaOutlierDetector(double k = 3.0) : IOutlierDetector
{
    public bool[] Detect(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var array = values.ToArray();
        var mean = Sample.Mean(array);
        var limit = k * Sample.PopulationStd(array);
        return array.Select(v => Math.Abs(v - mean) > limit).ToArray();
    }
}

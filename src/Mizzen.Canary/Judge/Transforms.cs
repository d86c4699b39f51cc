namespace Mizzen.Canary.Judge;

/// <summary>The judge's pre-processing steps, applied to each side of a metric separately.</summary>
public static class Transforms
{
    public static double[] RemoveNaNs(IEnumerable<double> values) => values.Where(v => !double.IsNaN(v)).ToArray();

    public static double[] ReplaceNaNs(IEnumerable<double> values, double replacement = 0.0)
        => values.Select(v => double.IsNaN(v) ? replacement : v).ToArray();

    public static double[] RemoveOutliers(IReadOnlyList<double> values, IOutlierDetector detector)
    {
        ArgumentNullException.ThrowIfNull(detector);
        var outliers = detector.Detect(values);
        var kept = new List<double>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            if (!outliers[i])
            {
                kept.Add(values[i]);
            }
        }

        return [.. kept];
    }
}

namespace Mizzen.Canary.Statistics;

/// <summary>Moments of a sample.</summary>
public static class Sample
{
    public static double Mean(ReadOnlySpan<double> values)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }

    public static double SumOfSquaredDeviations(ReadOnlySpan<double> values, double mean)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += (v - mean) * (v - mean);
        }

        return sum;
    }

    /// <summary>The population (n) standard deviation, as Kayenta's KSigma detector uses.</summary>
    public static double PopulationStd(ReadOnlySpan<double> values)
        => values.Length == 0 ? double.NaN : Math.Sqrt(SumOfSquaredDeviations(values, Mean(values)) / values.Length);

    /// <summary>The sample (n − 1) variance.</summary>
    public static double Variance(ReadOnlySpan<double> values)
        => values.Length < 2 ? 0.0 : SumOfSquaredDeviations(values, Mean(values)) / (values.Length - 1);
}

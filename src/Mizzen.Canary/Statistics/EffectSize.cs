namespace Mizzen.Canary.Statistics;

/// <summary>Effect sizes between an experiment and a control sample.</summary>
public static class EffectSize
{
    /// <summary>mean(experiment) / mean(control); NaN when either mean is exactly 0 (Kayenta's rule).</summary>
    public static double MeanRatio(ReadOnlySpan<double> control, ReadOnlySpan<double> experiment)
    {
        var controlMean = Sample.Mean(control);
        var experimentMean = Sample.Mean(experiment);
        return controlMean == 0.0 || experimentMean == 0.0 ? double.NaN : experimentMean / controlMean;
    }

    /// <summary>
    /// The common-language effect size: the probability that a random experiment value exceeds a random
    /// control value, ties counting one half. (2·R1 − m(m+1)) / (2·n·m), R1 being the experiment's rank sum.
    /// </summary>
    public static double Cles(ReadOnlySpan<double> control, ReadOnlySpan<double> experiment)
    {
        var m = experiment.Length;
        var n = control.Length;
        if (m == 0 || n == 0)
        {
            return double.NaN;
        }

        var combined = new double[m + n];
        experiment.CopyTo(combined);
        control.CopyTo(combined.AsSpan(m));
        var ranks = Ranking.AverageRanks(combined);
        var r1 = 0.0;
        for (var i = 0; i < m; i++)
        {
            r1 += ranks[i];
        }

        return ((2 * r1) - ((double)m * (m + 1))) / (2.0 * n * m);
    }

    /// <summary>Cohen's d with the pooled sample standard deviation.</summary>
    public static double CohenD(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var pooled = Math.Sqrt((((a.Length - 1) * Sample.Variance(a)) + ((b.Length - 1) * Sample.Variance(b))) / (a.Length + b.Length - 2));
        return (Sample.Mean(a) - Sample.Mean(b)) / pooled;
    }
}

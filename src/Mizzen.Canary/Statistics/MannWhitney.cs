namespace Mizzen.Canary.Statistics;

/// <summary>
/// The Wilcoxon rank-sum (Mann-Whitney U) confidence interval and Hodges-Lehmann estimate of the shift
/// between two samples, computed as R's <c>wilcox.test(x, y, conf.int = TRUE, exact = FALSE, correct = TRUE)</c>
/// does, which is what Kayenta's judge uses: the <b>normal approximation</b> with continuity and tie
/// corrections, always (Kayenta never uses the exact distribution, even for small samples), and the
/// interval ends found with Brent's method and clamped to [min(x) − max(y), max(x) − min(y)].
/// </summary>
/// <remarks>
/// Each evaluation of the standardised statistic needs the ranks of (x − μ) ∪ y. Both samples are sorted once,
/// and because subtracting μ keeps x's order, each evaluation is a linear merge rather than a sort.
/// </remarks>
public sealed class MannWhitney
{
    private readonly double[] x;
    private readonly double[] y;

    /// <param name="x">The experiment sample.</param>
    /// <param name="y">The control sample.</param>
    public MannWhitney(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count == 0 || y.Count == 0)
        {
            throw new ArgumentException("both samples need at least one observation");
        }

        this.x = SortedCopy(x, nameof(x));
        this.y = SortedCopy(y, nameof(y));
    }

    public double MuMin => x[0] - y[^1];

    public double MuMax => x[^1] - y[0];

    /// <summary>Computes the two-sided confidence interval at <paramref name="confidenceLevel"/> and the estimate.</summary>
    public static MannWhitneyResult Test(IReadOnlyList<double> experiment, IReadOnlyList<double> control, double confidenceLevel)
        => new MannWhitney(experiment, control).ConfidenceInterval(confidenceLevel);

    public MannWhitneyResult ConfidenceInterval(double confidenceLevel)
    {
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "confidence level must be between 0 and 1");
        }

        var alpha = 1 - confidenceLevel;
        var zq = NormalDistribution.InverseCdf(alpha / 2);
        var lower = FindRoot(-zq);
        var upper = FindRoot(zq);
        var estimate = BrentSolver.Solve(mu => WilcoxonDiff(mu, 0), MuMin, MuMax, WilcoxonDiff(MuMin, 0), WilcoxonDiff(MuMax, 0));
        return new MannWhitneyResult(lower, upper, estimate);
    }

    /// <summary>
    /// The continuity-corrected, tie-corrected standardised rank-sum statistic of (x − <paramref name="mu"/>, y),
    /// minus <paramref name="quantile"/>. Its root in μ is a confidence bound (or, with quantile 0, the estimate).
    /// </summary>
    public double WilcoxonDiff(double mu, double quantile)
    {
        var nx = x.Length;
        var ny = y.Length;
        var n = nx + ny;
        var rankSumX = 0.0;
        var tieTerm = 0.0;
        int i = 0, j = 0, position = 0;
        while (i < nx || j < ny)
        {
            var value = i < nx && (j >= ny || x[i] - mu <= y[j]) ? x[i] - mu : y[j];
            var fromX = 0;
            var size = 0;
            while (i < nx && x[i] - mu == value)
            {
                i++;
                fromX++;
                size++;
            }

            while (j < ny && y[j] == value)
            {
                j++;
                size++;
            }

            var averageRank = position + ((size + 1) / 2.0);
            rankSumX += averageRank * fromX;
            tieTerm += ((double)size * size * size) - size;
            position += size;
        }

        var dz = rankSumX - (nx * (nx + 1) / 2.0) - (nx * (double)ny / 2.0);
        var correction = Math.Sign(dz) * 0.5;
        var sigma = Math.Sqrt(nx * (double)ny / 12.0 * (n + 1 - (tieTerm / (n * (n - 1.0)))));
        if (sigma == 0)
        {
            throw new InvalidOperationException("cannot compute confidence interval when all observations are tied");
        }

        return ((dz - correction) / sigma) - quantile;
    }

    private double FindRoot(double quantile)
    {
        var fLower = WilcoxonDiff(MuMin, quantile);
        if (fLower <= 0)
        {
            return MuMin;
        }

        var fUpper = WilcoxonDiff(MuMax, quantile);
        if (fUpper >= 0)
        {
            return MuMax;
        }

        return BrentSolver.Solve(mu => WilcoxonDiff(mu, quantile), MuMin, MuMax, fLower, fUpper);
    }

    private static double[] SortedCopy(IReadOnlyList<double> values, string name)
    {
        var copy = new double[values.Count];
        for (var k = 0; k < copy.Length; k++)
        {
            if (double.IsNaN(values[k]))
            {
                throw new ArgumentException("samples must not contain NaN; apply the NaN strategy first", name);
            }

            copy[k] = values[k];
        }

        Array.Sort(copy);
        return copy;
    }
}

namespace Mizzen.Canary.Statistics;

/// <summary>
/// Brent's root finder in the form of R's <c>zeroin</c>, which is what <c>uniroot</c> (and therefore
/// <c>wilcox.test</c>'s confidence interval) uses. The constants match R's call from <c>wilcox.test</c>:
/// an absolute tolerance of 1e-4 and 1000 iterations; running out of iterations returns the best point
/// rather than failing.
/// </summary>
public static class BrentSolver
{
    public const int MaxIterations = 1000;
    public const double Tolerance = 1e-4;
    private const double Epsilon = 2.220446049250313e-16;

    /// <summary>Finds x in [a, b] with f(x) = 0, given f(a) = fa and f(b) = fb of opposite signs.</summary>
    public static double Solve(Func<double, double> f, double a, double b, double fa, double fb)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (IsZero(fa))
        {
            return a;
        }

        if (IsZero(fb))
        {
            return b;
        }

        var c = a;
        var fc = fa;
        for (var iteration = 0; iteration <= MaxIterations; iteration++)
        {
            var previousStep = b - a;
            if (Math.Abs(fc) < Math.Abs(fb))
            {
                a = b;
                b = c;
                c = a;
                fa = fb;
                fb = fc;
                fc = fa;
            }

            var tolerance = (2 * Epsilon * Math.Abs(b)) + (Tolerance / 2);
            var step = (c - b) / 2;
            if (Math.Abs(step) <= tolerance || fb == 0)
            {
                return b;
            }

            if (Math.Abs(previousStep) >= tolerance && Math.Abs(fa) > Math.Abs(fb))
            {
                step = Interpolate(a, b, c, fa, fb, fc, previousStep, tolerance, step);
            }

            if (Math.Abs(step) < tolerance)
            {
                step = step > 0 ? tolerance : -tolerance;
            }

            a = b;
            fa = fb;
            b += step;
            fb = f(b);
            if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0))
            {
                c = a;
                fc = fa;
            }
        }

        return b;
    }

    private static double Interpolate(double a, double b, double c, double fa, double fb, double fc, double previousStep, double tolerance, double bisection)
    {
        double p;
        double q;
        var cb = c - b;
        if (a == c)
        {
            // Secant (linear) interpolation.
            var t1 = fb / fa;
            p = cb * t1;
            q = 1.0 - t1;
        }
        else
        {
            // Inverse quadratic interpolation.
            q = fa / fc;
            var t1 = fb / fc;
            var t2 = fb / fa;
            p = t2 * ((cb * q * (q - t1)) - ((b - a) * (t1 - 1.0)));
            q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0);
        }

        if (p > 0)
        {
            q = -q;
        }
        else
        {
            p = -p;
        }

        return p < ((0.75 * cb * q) - (Math.Abs(tolerance * q) / 2)) && p < Math.Abs(previousStep * q / 2) ? p / q : bisection;
    }

    // commons-math Precision.equals(x, 0) with one ulp: only an exact (signed) zero or the smallest subnormal qualifies.
    private static bool IsZero(double value) => Math.Abs(value) <= double.Epsilon;
}

namespace Mizzen.Providers.Local.Metrics;

/// <summary>Prometheus' default histogram buckets (seconds), the last one +Inf.</summary>
internal static class LatencyBuckets
{
    public static readonly double[] UpperBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, double.PositiveInfinity];

    public static int IndexOf(double seconds)
    {
        for (var i = 0; i < UpperBounds.Length; i++)
        {
            if (seconds <= UpperBounds[i])
            {
                return i;
            }
        }

        return UpperBounds.Length - 1;
    }
}

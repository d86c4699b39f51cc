using System.Globalization;
using Mizzen.Canary.Judge;

namespace Mizzen.Canary.Runs;

/// <summary>Whether a run (or an interval) lets the pipeline continue, and why.</summary>
public sealed record CanaryRunVerdict(bool Succeeded, string Message)
{
    /// <summary>
    /// After each interval (Orca's <c>MonitorKayentaCanaryTask</c>): a score at or below marginal stops the run.
    /// Uses <see cref="CanaryVerdict.IsAtOrBelowMarginal"/>, the same boundary as the judge's label.
    /// </summary>
    public static CanaryRunVerdict AfterInterval(double score, double? marginal)
        => marginal is { } m && CanaryVerdict.IsAtOrBelowMarginal(score, m)
            ? new CanaryRunVerdict(false, "Canary score is not above the marginal score threshold.")
            : new CanaryRunVerdict(true, string.Empty);

    /// <summary>The final verdict from the last interval's score only (Orca's <c>AggregateCanaryResultsTask</c>).</summary>
    public static CanaryRunVerdict Final(IReadOnlyList<double> intervalScores, double? pass, double? marginal)
    {
        ArgumentNullException.ThrowIfNull(intervalScores);
        if (intervalScores.Count == 0)
        {
            return new CanaryRunVerdict(false, "No canary interval produced a score.");
        }

        var last = intervalScores[^1];
        var shown = last.ToString("0.##", CultureInfo.InvariantCulture);
        if (pass is null && marginal is null)
        {
            return new CanaryRunVerdict(true, string.Empty);
        }

        if (marginal is { } m && CanaryVerdict.IsAtOrBelowMarginal(last, m))
        {
            return new CanaryRunVerdict(false, $"Final canary score {shown} is not above the marginal score threshold.");
        }

        if (pass is not { } p)
        {
            return new CanaryRunVerdict(true, string.Empty);
        }

        return last < p
            ? new CanaryRunVerdict(false, $"Final canary score {shown} is below the pass score threshold.")
            : new CanaryRunVerdict(true, $"Final canary score {shown} met or exceeded the pass score threshold.");
    }
}

using System.Globalization;
using Mizzen.Canary.Judge;
using Mizzen.Canary.Reports;

namespace Mizzen.Canary.Stage;

/// <summary>The sentence a failed canary shows: the score against the thresholds, then the worst metrics in words.</summary>
public static class CanaryFailureMessage
{
    public const int WorstMetricsShown = 3;

    public static string Describe(string verdict, double score, CanaryScoreThresholds thresholds, CanaryReport? report)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{verdict} Score {score:0.##} (pass {thresholds.Pass:0.##}, marginal {thresholds.Marginal:0.##}).");
        var worst = WorstMetrics(report);
        return worst.Count == 0 ? text : $"{text} Worst metrics: {string.Join("; ", worst)}.";
    }

    /// <summary>Failing metrics, critical ones first: "error_rate (critical, High): the experiment's mean …".</summary>
    public static IReadOnlyList<string> WorstMetrics(CanaryReport? report)
        => report is null
            ? []
            : report.Metrics
                .Where(m => !m.Muted && m.Classification is not ("Pass" or "Nodata"))
                .OrderByDescending(m => m.Critical)
                .ThenBy(m => m.Classification == "Error" ? 1 : 0)
                .Take(WorstMetricsShown)
                .Select(m => $"{m.Name} ({(m.Critical ? "critical, " : string.Empty)}{m.Classification}): {m.Reason}")
                .ToList();
}

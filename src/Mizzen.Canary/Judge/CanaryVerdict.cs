namespace Mizzen.Canary.Judge;

/// <summary>A run's summary label.</summary>
public enum CanaryScoreClassification
{
    Pass,
    Marginal,
    Fail,
}

/// <summary>
/// The one place a score meets its thresholds. The judge's summary label, the per-interval early failure and the
/// stage's final verdict all call this, so they can never disagree.
/// </summary>
/// <remarks>
/// <b>Boundary decision.</b> Kayenta's judge labels a score exactly equal to the marginal threshold
/// <c>Marginal</c> (<c>score &gt;= marginal</c>), while Orca's stage fails it (<c>score &lt;= marginal</c> is
/// TERMINAL). We follow Orca everywhere: a score must be strictly above <c>marginal</c> not to fail, so a score
/// equal to marginal is <see cref="CanaryScoreClassification.Fail"/>. Orca is what gates the deployment, so this
/// keeps existing pipelines behaving as they did, and a report can no longer say "Marginal" for a run that
/// stopped the pipeline. A score at or above <c>pass</c> passes, unless it is also at or below marginal
/// (pass ≤ marginal), where failure wins, again as in Orca. Unlike Orca we do not truncate scores to integers.
/// </remarks>
public static class CanaryVerdict
{
    /// <summary>Pass / Marginal / Fail for a score; the boundary rule above.</summary>
    public static CanaryScoreClassification Classify(double score, CanaryScoreThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        if (IsAtOrBelowMarginal(score, thresholds.Marginal))
        {
            return CanaryScoreClassification.Fail;
        }

        return score >= thresholds.Pass ? CanaryScoreClassification.Pass : CanaryScoreClassification.Marginal;
    }

    /// <summary>True when an interval's score stops the run early (Orca's "not above the marginal score threshold").</summary>
    public static bool IsAtOrBelowMarginal(double score, double marginal) => double.IsNaN(score) || score <= marginal;
}

using Mizzen.Canary.Judge;

namespace Mizzen.Canary.Reports;

/// <summary>Builds a <see cref="CanaryReport"/> from a judge result.</summary>
public static class CanaryReportBuilder
{
    public static CanaryReport Build(CanaryJudgeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var groups = result.GroupScores.Select(g => new GroupReport(g.Name, g.Score, g.Weight, g.NoData, new GroupCounts(g.Pass, g.High, g.Low, g.NodataFailMetric, g.Nodata, g.Error))).ToList();
        return new CanaryReport(
            result.Score,
            result.Classification.ToString(),
            result.ClassificationReason,
            new ReportThresholds(result.Thresholds.Pass, result.Thresholds.Marginal),
            groups,
            result.Results.Select(Metric).ToList(),
            result.Warnings);
    }

    public static MetricReport Metric(CanaryAnalysisResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var c = r.Classification;
        var s = r.Settings;
        var warnings = new List<string>();
        foreach (var (name, side) in new[] { ("control", r.Control), ("experiment", r.Experiment) })
        {
            if (side.Statistics.Count < NetflixAcaJudge.MinimumRecommendedPoints)
            {
                warnings.Add($"{name} has {side.Statistics.Count} points after pre-processing; at least {NetflixAcaJudge.MinimumRecommendedPoints} are recommended");
            }

            if (side.RawCount > 0 && side.NanCount * 2 >= side.RawCount)
            {
                warnings.Add($"{name}: {side.NanCount} of {side.RawCount} points are NaN");
            }
        }

        if (c.NoiseAdded)
        {
            warnings.Add("both sides were constant; tiny deterministic noise (sd 1e-5 × value) was added so the interval can be computed");
        }

        var test = c.Test is { } t
            ? new ConfidenceReport(MannWhitneyClassifier.JudgeConfidenceLevel, t.LowerConfidence, t.UpperConfidence, t.Estimate, -c.Bound, c.Bound, c.NoiseAdded)
            : null;
        return new MetricReport(
            r.Name,
            r.Tags,
            r.Groups,
            r.Label.ToString(),
            r.Critical,
            r.Muted,
            ReasonWriter.Explain(r),
            c.Reason,
            s.Direction.ToString().ToLowerInvariant(),
            Side(r.Control),
            Side(r.Experiment),
            new EffectReport(s.Measure == EffectSizeMeasure.Cles ? "cles" : "meanRatio", c.EffectSize, c.Deviation, s.AllowedIncrease, s.AllowedDecrease, s.CriticalIncrease, s.CriticalDecrease),
            test,
            warnings,
            new SeriesReport(Series(r.Pair.Control), Series(r.Pair.Experiment)));
    }

    private static SideReport Side(PreparedSide side)
    {
        var st = side.Statistics;
        return new SideReport(st.Count, st.Mean, st.Median, st.P95, st.Min, st.Max, st.Std, side.RawCount, side.NanCount, side.OutliersRemoved);
    }

    private static SeriesData Series(MetricSeries series) => new(series.Start, series.StepSeconds, series.Query, series.Values);
}

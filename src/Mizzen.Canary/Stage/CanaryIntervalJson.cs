using System.Text.Json.Nodes;
using Mizzen.Canary.Runs;

namespace Mizzen.Canary.Stage;

/// <summary>The JSON of one planned or judged interval, as stored in the stage context and beside each report.</summary>
public static class CanaryIntervalJson
{
    public static JsonObject Write(CanaryInterval interval)
    {
        ArgumentNullException.ThrowIfNull(interval);
        return new JsonObject
        {
            ["number"] = interval.Number,
            ["controlStartIso"] = CanaryIntervalRecord.Iso(interval.ControlStart),
            ["controlEndIso"] = CanaryIntervalRecord.Iso(interval.ControlEnd),
            ["experimentStartIso"] = CanaryIntervalRecord.Iso(interval.ExperimentStart),
            ["experimentEndIso"] = CanaryIntervalRecord.Iso(interval.ExperimentEnd),
            ["notBeforeIso"] = interval.NotBefore is { } n ? CanaryIntervalRecord.Iso(n) : null,
        };
    }

    /// <summary>What <c>intervalResults</c> keeps per judged interval: the window, score, label and the failing metrics in words.</summary>
    public static JsonObject Summary(CanaryInterval interval, CanaryIntervalResult result, DateTimeOffset judgedAt)
    {
        ArgumentNullException.ThrowIfNull(result);
        var summary = Write(interval);
        summary.Remove("notBeforeIso");
        summary["score"] = double.IsFinite(result.Judgement.Score) ? result.Judgement.Score : null;
        summary["classification"] = result.Report.Classification;
        summary["reason"] = result.Report.ClassificationReason;
        summary["worstMetrics"] = new JsonArray(CanaryFailureMessage.WorstMetrics(result.Report).Select(m => (JsonNode)m).ToArray());
        summary["judgedAtIso"] = CanaryIntervalRecord.Iso(judgedAt);
        return summary;
    }
}

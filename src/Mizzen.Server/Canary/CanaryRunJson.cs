using System.Text.Json.Nodes;
using Mizzen.Canary.Reports;
using Mizzen.Canary.Runs;
using Mizzen.Canary.Sources;
using Mizzen.Canary.Stage;
using Mizzen.Canary.Storage;
using Mizzen.Core.Model;

namespace Mizzen.Server.Canary;

/// <summary>The JSON of a canary run's status (Kayenta's <c>CanaryExecutionStatusResponse</c> plus Mizzen's intervals) and of a dry run.</summary>
public static class CanaryRunJson
{
    public static JsonObject Status(PipelineExecution execution, StageExecution stage, string canaryExecutionId, IReadOnlyList<StoredCanaryReport> reports)
    {
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(reports);
        var outputs = stage.Outputs;
        return new JsonObject
        {
            ["canaryExecutionId"] = canaryExecutionId,
            ["canaryConfigId"] = (outputs["canaryConfigId"] ?? stage.Context["canaryConfig"]?["canaryConfigId"])?.DeepClone(),
            ["application"] = execution.Application,
            ["pipelineExecutionId"] = execution.Id,
            ["stageId"] = stage.Id,
            ["complete"] = stage.Status.IsComplete(),
            ["status"] = stage.Status.ToWireName().ToLowerInvariant(),
            ["executionStatus"] = stage.Status.ToWireName(),
            ["startTimeIso"] = stage.StartTime is { } s ? CanaryIntervalRecord.Iso(DateTimeOffset.FromUnixTimeMilliseconds(s)) : null,
            ["endTimeIso"] = stage.EndTime is { } e ? CanaryIntervalRecord.Iso(DateTimeOffset.FromUnixTimeMilliseconds(e)) : null,
            ["canaryScores"] = outputs["canaryScores"]?.DeepClone() ?? new JsonArray(),
            ["canaryScoreMessage"] = outputs["canaryScoreMessage"]?.DeepClone(),
            ["intervals"] = stage.Context[CanaryIntervalRecord.ResultsKey]?.DeepClone() ?? new JsonArray(),
            ["result"] = reports.Count == 0 ? null : new JsonObject { ["judgeResult"] = reports[^1].Report.DeepClone() },
            ["reports"] = new JsonArray([.. reports.Select(r => (JsonNode)new JsonObject { ["interval"] = r.Interval, ["report"] = r.Report.DeepClone() })]),
            ["exception"] = stage.Context["exception"]?.DeepClone(),
        };
    }

    public static JsonObject DryRun(DryRunMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return new JsonObject
        {
            ["name"] = metric.Name,
            ["type"] = metric.Type,
            ["control"] = Side(metric.Control),
            ["experiment"] = Side(metric.Experiment),
            ["problems"] = new JsonArray([.. metric.Problems.Select(p => (JsonNode)p)]),
        };
    }

    /// <summary>The dry run's answer: each metric, and the judge's report on the window (<c>judgment</c>) or why there is none (<c>notJudged</c>).</summary>
    public static JsonObject DryRun(string canaryConfigId, CanaryDryRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new JsonObject
        {
            ["canaryConfigId"] = canaryConfigId,
            ["metrics"] = new JsonArray([.. result.Metrics.Select(m => (JsonNode)DryRun(m))]),
            ["judgment"] = result.Judgment is null ? null : CanaryReportJson.ToJson(result.Judgment),
            ["notJudged"] = result.NotJudged,
        };
    }

    private static JsonObject? Side(DryRunSide? side) => side is null ? null : new JsonObject
    {
        ["query"] = side.Query,
        ["series"] = side.Series.Count,
        ["points"] = side.Points,
        ["nonNaNPoints"] = side.NonNaNPoints,
        ["metricSets"] = new JsonArray([.. side.Series.Select(s => (JsonNode)MetricSet(s))]),
    };

    /// <summary>One returned series as Kayenta's <c>MetricSet</c> writes it (values on a fixed step; a gap is null).</summary>
    private static JsonObject MetricSet(MetricSet set) => new()
    {
        ["tags"] = new JsonObject([.. set.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]),
        ["startTimeMillis"] = set.Start.ToUnixTimeMilliseconds(),
        ["startTimeIso"] = CanaryIntervalRecord.Iso(set.Start),
        ["stepMillis"] = set.StepSeconds * 1000L,
        ["values"] = new JsonArray([.. set.Values.Select(v => double.IsFinite(v) ? (JsonNode)v : null)]),
    };
}

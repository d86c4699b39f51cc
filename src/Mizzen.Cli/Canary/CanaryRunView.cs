using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Canary.Reports;
using Mizzen.Core.Json;

namespace Mizzen.Cli.Canary;

/// <summary>
/// Prints a canary run: a header (status, config, scores, message, errors), then each judged interval's windows and its report
/// as <see cref="CanaryReportTable"/> renders it (the same table as <c>canary judge</c>).
/// </summary>
internal static class CanaryRunView
{
    public static void Write(TextWriter output, IReadOnlyList<CanaryRunStatus> runs)
    {
        for (var i = 0; i < runs.Count; i++)
        {
            if (i > 0)
            {
                output.WriteLine();
            }

            Write(output, runs[i]);
        }
    }

    private static void Write(TextWriter output, CanaryRunStatus run)
    {
        var status = run.Status;
        var stage = run.StageName is null ? string.Empty : $" (stage \"{run.StageName}\")";
        output.WriteLine($"Canary run {status["canaryExecutionId"].AsString()}{stage}: {status["executionStatus"].AsString() ?? "?"}");
        output.WriteLine($"config {status["canaryConfigId"].AsString() ?? "?"}, application {status["application"].AsString() ?? "?"}, execution {status["pipelineExecutionId"].AsString() ?? "?"}");
        var scores = (status["canaryScores"] as JsonArray ?? []).Select(s => s is JsonValue v && v.TryGetValue<double>(out var d) ? d.ToString("0.##", CultureInfo.InvariantCulture) : "-").ToList();
        if (scores.Count > 0)
        {
            output.WriteLine($"scores: {string.Join(", ", scores)}");
        }

        var message = status["canaryScoreMessage"].AsString();
        if (!string.IsNullOrEmpty(message))
        {
            output.WriteLine(message);
        }

        // A failed canary's stage error repeats its score message: print only what it adds.
        foreach (var error in Errors(status["exception"]).Where(e => e != message))
        {
            output.WriteLine($"error: {error}");
        }

        var reports = (status["reports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (reports.Count == 0)
        {
            output.WriteLine();
            output.WriteLine(status["complete"] is JsonValue c && c.TryGetValue<bool>(out var complete) && complete
                ? "No interval was judged."
                : "No interval has been judged yet.");
            return;
        }

        var windows = (status["intervals"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(w => w["number"] is JsonValue)
            .GroupBy(w => w["number"]!.ToJsonString())
            .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        foreach (var entry in reports)
        {
            var number = entry["interval"]?.ToJsonString() ?? "?";
            output.WriteLine();
            output.WriteLine(windows.TryGetValue(number, out var window)
                ? $"Interval {number}: control {window["controlStartIso"].AsString()} to {window["controlEndIso"].AsString()}, experiment {window["experimentStartIso"].AsString()} to {window["experimentEndIso"].AsString()}"
                : $"Interval {number}");
            var table = CanaryReportTable.Render(Report(entry["report"], number));
            output.Write(table.EndsWith('\n') ? table : table + "\n");
        }
    }

    private static CanaryReport Report(JsonNode? json, string interval)
    {
        try
        {
            return json is null ? throw new JsonException("it is missing") : CanaryReportJson.FromJson(json);
        }
        catch (JsonException e)
        {
            throw new CliException($"the server's report for interval {interval} is not a canary report: {e.Message}");
        }
    }

    /// <summary>Orca's <c>exception.details.errors</c> (or <c>.error</c>) of the canary stage.</summary>
    private static IEnumerable<string> Errors(JsonNode? exception)
    {
        var details = exception?["details"];
        if (details?["errors"] is JsonArray list)
        {
            return list.Select(e => e.AsString() ?? e?.ToJsonString() ?? string.Empty).Where(e => e.Length > 0);
        }

        return details?["error"].AsString() is { Length: > 0 } single ? [single] : [];
    }
}

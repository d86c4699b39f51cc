using System.Globalization;
using System.Text;
using static Mizzen.Canary.Reports.ReasonWriter;

namespace Mizzen.Canary.Reports;

/// <summary>Renders a report as a plain-text table for the CLI.</summary>
public static class CanaryReportTable
{
    public static string Render(CanaryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Canary score {report.Score:0.##} -> {report.Classification} (pass >= {report.Thresholds.Pass:0.##}, fail <= {report.Thresholds.Marginal:0.##})");
        sb.AppendLine(string.IsNullOrEmpty(report.ClassificationReason) ? string.Empty : $": {report.ClassificationReason}");
        sb.AppendLine();

        var rows = new List<string[]> { new[] { "METRIC", "RESULT", "CONTROL", "CANARY", "CHANGE", "CI (canary-control)", "N ctl/exp" } };
        foreach (var m in report.Metrics)
        {
            var label = m.Classification + (m.Critical ? " (critical)" : string.Empty) + (m.Muted ? " (muted)" : string.Empty);
            var change = double.IsNaN(m.Effect.MeanRatio) ? "n/a" : ((m.Effect.MeanRatio - 1) * 100).ToString("+0.#;-0.#;0", CultureInfo.InvariantCulture) + "%";
            var ci = m.Test is { } t ? $"[{F(t.Lower)}, {F(t.Upper)}]" : "-";
            rows.Add([m.Name, label, F(m.Control.Mean), F(m.Experiment.Mean), change, ci, $"{m.Control.Count}/{m.Experiment.Count}"]);
        }

        AppendTable(sb, rows);
        sb.AppendLine();
        foreach (var m in report.Metrics)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {m.Name}: {m.Reason}");
            foreach (var w in m.Warnings)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"    ! {w}");
            }
        }

        sb.AppendLine();
        var groupRows = new List<string[]> { new[] { "GROUP", "SCORE", "WEIGHT", "PASS/HIGH/LOW/NODATA" } };
        groupRows.AddRange(report.Groups.Select(g => new[] { g.Name, g.NoData ? "no data (100)" : F(Math.Round(g.Score, 2)), F(g.Weight), $"{g.Counts.Pass}/{g.Counts.High}/{g.Counts.Low}/{g.Counts.Nodata + g.Counts.NodataFailMetric}" }));
        AppendTable(sb, groupRows);
        foreach (var w in report.Warnings)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"Warning: {w}");
        }

        return sb.ToString();
    }

    private static void AppendTable(StringBuilder sb, List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            sb.AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}

using System.Text;

namespace Mizzen.Engine.Benchmarks.Reporting;

/// <summary>A plain-text table (Markdown-compatible) written to the console.</summary>
internal sealed class ResultTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public void Add(params object[] cells) =>
        rows.Add(cells.Select(c => c switch
        {
            double d => d.ToString(Math.Abs(d) >= 100 ? "N0" : "N2", System.Globalization.CultureInfo.InvariantCulture),
            _ => c.ToString() ?? "",
        }).ToArray());

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => i < r.Length ? r[i].Length : 0))).ToArray();
        var text = new StringBuilder();
        Line(text, headers, widths);
        text.Append('|').AppendJoin('|', widths.Select(w => new string('-', w + 2))).Append("|\n");
        foreach (var row in rows)
        {
            Line(text, row, widths);
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        text.Append('|');
        for (var i = 0; i < widths.Length; i++)
        {
            var cell = i < cells.Count ? cells[i] : "";
            text.Append(' ').Append(i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i])).Append(" |");
        }

        text.Append('\n');
    }
}

namespace Mizzen.Cli.Output;

/// <summary>Plain aligned columns: upper-case headers, two spaces between columns, no trailing blanks.</summary>
internal static class TableRenderer
{
    private const string Gap = "  ";

    public static void Write(TextWriter writer, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var cells = new List<string[]> { headers.Select(h => h.ToUpperInvariant()).ToArray() };
        cells.AddRange(rows.Select(row => Enumerable.Range(0, headers.Count).Select(i => Clean(i < row.Count ? row[i] : null)).ToArray()));
        var widths = Enumerable.Range(0, headers.Count).Select(i => cells.Max(row => row[i].Length)).ToArray();
        foreach (var row in cells)
        {
            var line = string.Join(Gap, row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i])));
            writer.WriteLine(line.TrimEnd());
        }
    }

    private static string Clean(string? cell) =>
        string.IsNullOrEmpty(cell) ? "-" : cell.ReplaceLineEndings(" ");
}

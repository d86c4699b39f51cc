using System.Text;

namespace Mizzen.Server.Pipelines;

/// <summary>
/// A unified diff of two texts by lines (longest common subsequence). Hand-written (~60 lines): the SDK has no diff and
/// pipeline configs are small enough for the quadratic algorithm. A changed line prints as <c>-old</c> then <c>+new</c>; hunk headers carry
/// line numbers (<c>@@ -3,7 +3,7 @@</c>).
/// </summary>
public static class LineDiff
{
    public static string Unified(string before, string after, string beforeName, string afterName)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var lines = new List<(char Op, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', a[x++]));
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                lines.Add(('-', a[x++]));
            }
            else
            {
                lines.Add(('+', b[y++]));
            }
        }

        RemovalsFirst(lines);

        var output = new StringBuilder().Append("--- ").AppendLine(beforeName).Append("+++ ").AppendLine(afterName);
        const int context = 3;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Op == ' ')
            {
                continue;
            }

            var start = Math.Max(0, i - context);
            var end = i;
            while (end < lines.Count && (lines[end].Op != ' ' || (end + 1 < lines.Count && lines.Skip(end).Take(context * 2).Any(l => l.Op != ' '))))
            {
                end++;
            }

            end = Math.Min(lines.Count, end + context);
            output.AppendLine(HunkHeader(lines, start, end));
            for (var k = start; k < end; k++)
            {
                output.Append(lines[k].Op).AppendLine(lines[k].Text);
            }

            i = end;
        }

        return output.ToString();
    }

    /// <summary><c>@@ -l,s +l,s @@</c> as <c>diff -u</c> writes it: where the hunk starts in each text (1-based) and how many of its lines it spans.</summary>
    private static string HunkHeader(List<(char Op, string Text)> lines, int start, int end)
    {
        var beforeStart = 1 + lines.Take(start).Count(l => l.Op != '+');
        var afterStart = 1 + lines.Take(start).Count(l => l.Op != '-');
        var beforeCount = lines.Skip(start).Take(end - start).Count(l => l.Op != '+');
        var afterCount = lines.Skip(start).Take(end - start).Count(l => l.Op != '-');
        return $"@@ -{Range(beforeStart, beforeCount)} +{Range(afterStart, afterCount)} @@";
    }

    private static string Range(int start, int count) => count switch
    {
        1 => start.ToString(System.Globalization.CultureInfo.InvariantCulture),
        0 => $"{start - 1},0",
        _ => $"{start},{count}",
    };

    /// <summary>Inside each run of changed lines, the removed lines come first, then the added ones (as diff and git print them).</summary>
    private static void RemovalsFirst(List<(char Op, string Text)> lines)
    {
        for (var start = 0; start < lines.Count;)
        {
            var end = start;
            while (end < lines.Count && lines[end].Op != ' ')
            {
                end++;
            }

            if (end > start + 1)
            {
                var run = lines.GetRange(start, end - start);
                lines.RemoveRange(start, run.Count);
                lines.InsertRange(start, [.. run.Where(l => l.Op == '-'), .. run.Where(l => l.Op == '+')]);
            }

            start = Math.Max(end, start + 1);
        }
    }
}

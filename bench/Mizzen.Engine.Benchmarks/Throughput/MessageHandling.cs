using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Mizzen.Orchestration.Engine;

namespace Mizzen.Engine.Benchmarks.Throughput;

/// <summary>Per message kind: how many were handled and their mean handling time, read from the engine's own /metrics text.</summary>
internal sealed partial record MessageHandling(string Kind, long Count, double MeanMs)
{
    public static IReadOnlyList<MessageHandling> Read(EngineMetrics metrics)
    {
        var text = new StringBuilder();
        metrics.Write(text);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match match in Line().Matches(text.ToString()))
        {
            var kind = match.Groups["kind"].Value;
            if (match.Groups["what"].Value == "count")
            {
                counts[kind] = long.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
            else
            {
                sums[kind] = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return counts.Select(c => new MessageHandling(c.Key, c.Value, c.Value == 0 ? 0 : sums.GetValueOrDefault(c.Key) / c.Value * 1000))
            .OrderByDescending(m => m.Count).ToList();
    }

    /// <summary>What was handled between <paramref name="before"/> and <paramref name="after"/> (the histograms are cumulative).</summary>
    public static IReadOnlyList<MessageHandling> Since(IReadOnlyList<MessageHandling> before, IReadOnlyList<MessageHandling> after) =>
        after.Select(a => before.FirstOrDefault(b => b.Kind == a.Kind) is { } b
                ? new MessageHandling(a.Kind, a.Count - b.Count, a.Count == b.Count ? 0 : (a.MeanMs * a.Count - b.MeanMs * b.Count) / (a.Count - b.Count))
                : a)
            .Where(m => m.Count > 0).OrderByDescending(m => m.Count).ToList();

    [GeneratedRegex("""^mizzen_message_handling_seconds_(?<what>count|sum)\{kind="(?<kind>[^"]+)"\} (?<value>\S+)$""", RegexOptions.Multiline)]
    private static partial Regex Line();
}

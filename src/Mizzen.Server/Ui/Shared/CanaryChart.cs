using System.Globalization;
using Mizzen.Canary.Reports;

namespace Mizzen.Server.Ui.Shared;

/// <summary>
/// A metric's control and experiment series as SVG polylines on one time axis, with the analysis window as a shaded band, computed on
/// the server (no charting script). The axis spans the series and the window; a NaN point breaks its line.
/// </summary>
public sealed record CanaryChart(
    IReadOnlyList<string> Control,
    IReadOnlyList<string> Experiment,
    double WindowX,
    double WindowWidth,
    double YMin,
    double YMax,
    DateTimeOffset From,
    DateTimeOffset To,
    bool HasData)
{
    public const double Width = 560;
    public const double Height = 160;
    public const double Left = 48;
    public const double Bottom = 20;

    public static CanaryChart Build(SeriesReport series, DateTimeOffset? windowStart, DateTimeOffset? windowEnd)
    {
        ArgumentNullException.ThrowIfNull(series);
        var control = Points(series.Control);
        var experiment = Points(series.Experiment);
        var all = control.Concat(experiment).ToList();
        var times = all.Select(p => p.Time).Concat(new[] { windowStart, windowEnd }.OfType<DateTimeOffset>()).ToList();
        if (times.Count == 0)
        {
            return new CanaryChart([], [], 0, 0, 0, 0, default, default, false);
        }

        var from = times.Min();
        var to = times.Max();
        var values = all.Select(p => p.Value).Where(double.IsFinite).ToList();
        var (min, max) = values.Count == 0 ? (0d, 1d) : (Math.Min(0, values.Min()), values.Max());
        if (max <= min)
        {
            max = min + 1;
        }

        var span = Math.Max(1, (to - from).TotalSeconds);
        double X(DateTimeOffset t) => Left + ((t - from).TotalSeconds / span * (Width - Left - 8));
        double Y(double v) => 8 + ((max - v) / (max - min) * (Height - Bottom - 8));
        IReadOnlyList<string> Lines(List<(DateTimeOffset Time, double Value)> points)
        {
            var lines = new List<string>();
            var current = new List<string>();
            foreach (var (time, value) in points)
            {
                if (!double.IsFinite(value))
                {
                    Flush();
                    continue;
                }

                current.Add(string.Create(CultureInfo.InvariantCulture, $"{X(time):0.#},{Y(value):0.#}"));
            }

            Flush();
            return lines;

            void Flush()
            {
                if (current.Count > 0)
                {
                    lines.Add(string.Join(' ', current));
                    current.Clear();
                }
            }
        }

        var windowX = windowStart is { } ws ? X(ws) : Left;
        var windowRight = windowEnd is { } we ? X(we) : Width - 8;
        return new CanaryChart(Lines(control), Lines(experiment), windowX, Math.Max(0, windowRight - windowX), min, max, from, to, values.Count > 0);
    }

    private static List<(DateTimeOffset Time, double Value)> Points(SeriesData data) =>
        data.Start is { } start
            ? [.. data.Values.Select((v, i) => (start.AddSeconds((double)i * Math.Max(1, data.StepSeconds)), v))]
            : [];

    /// <summary>A statistic as the report shows it: up to 3 decimals; "—" for a value that does not exist (no data).</summary>
    public static string Number(double value) => double.IsFinite(value) ? value.ToString("0.###", CultureInfo.InvariantCulture) : "—";
}

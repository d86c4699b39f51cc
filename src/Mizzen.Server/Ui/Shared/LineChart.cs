using System.Globalization;

namespace Mizzen.Server.Ui.Shared;

/// <summary>One point of a series: a NaN value is a gap (no data there), never a zero.</summary>
public readonly record struct ChartPoint(DateTimeOffset Time, double Value);

/// <summary>A named series to draw; <paramref name="Name"/> is also its CSS class and its <c>data-series</c> in the SVG.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points);

/// <summary>A drawn series: one SVG polyline <c>points</c> string per run of points without a gap.</summary>
public sealed record ChartLine(string Name, IReadOnlyList<string> Segments)
{
    public int PointCount => Segments.Sum(s => s.Split(' ').Length);
}

/// <summary>The size of a chart's SVG in pixels (its viewBox); the plot sits inside fixed margins for the axis labels.</summary>
public sealed record ChartFrame(double Width, double Height)
{
    public const double Left = 48;
    public const double Right = 8;
    public const double Top = 8;
    public const double Bottom = 20;

    /// <summary>The canary report's charts.</summary>
    public static readonly ChartFrame Wide = new(560, 160);

    /// <summary>The load balancer page's charts, two per target side by side.</summary>
    public static readonly ChartFrame Small = new(380, 120);

    public double PlotRight => Width - Right;

    public double PlotBottom => Height - Bottom;
}

/// <summary>
/// Time series as SVG polylines on one time axis with a value axis from 0 (or the lowest value) to the highest, computed on the
/// server so pages draw charts without a script (the canary report, the load balancer page). A NaN point breaks its line; a
/// chart without any finite point has <see cref="HasData"/> false and no lines, so the page can say so in words.
/// </summary>
public sealed record LineChart(
    ChartFrame Frame,
    IReadOnlyList<ChartLine> Lines,
    double BandX,
    double BandWidth,
    double YMin,
    double YMax,
    DateTimeOffset From,
    DateTimeOffset To,
    bool HasData)
{
    /// <summary>
    /// Places <paramref name="series"/> on an axis spanning their points and <paramref name="span"/> (e.g. the window asked for, so an
    /// empty stretch shows as empty); <paramref name="band"/> is a shaded time range (the canary analysis window); the value axis
    /// reaches at least <paramref name="minimumMax"/>, so a flat line of tiny values is not drawn as a full-height swing.
    /// </summary>
    public static LineChart Build(
        ChartFrame frame,
        IReadOnlyList<ChartSeries> series,
        (DateTimeOffset Start, DateTimeOffset End)? span = null,
        (DateTimeOffset? Start, DateTimeOffset? End)? band = null,
        double minimumMax = 0)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(series);
        var times = series.SelectMany(s => s.Points.Select(p => p.Time)).ToList();
        if (span is { } s)
        {
            times.Add(s.Start);
            times.Add(s.End);
        }

        times.AddRange(new[] { band?.Start, band?.End }.OfType<DateTimeOffset>());
        if (times.Count == 0)
        {
            return new LineChart(frame, [.. series.Select(x => new ChartLine(x.Name, []))], 0, 0, 0, 0, default, default, false);
        }

        var from = times.Min();
        var to = times.Max();
        var values = series.SelectMany(x => x.Points.Select(p => p.Value)).Where(double.IsFinite).ToList();
        var (min, max) = values.Count == 0 ? (0d, 1d) : (Math.Min(0, values.Min()), Math.Max(minimumMax, values.Max()));
        if (max <= min)
        {
            max = min + 1;
        }

        var seconds = Math.Max(1, (to - from).TotalSeconds);
        double X(DateTimeOffset t) => ChartFrame.Left + ((t - from).TotalSeconds / seconds * (frame.PlotRight - ChartFrame.Left));
        double Y(double v) => ChartFrame.Top + ((max - v) / (max - min) * (frame.PlotBottom - ChartFrame.Top));

        var bandX = band?.Start is { } bs ? X(bs) : ChartFrame.Left;
        var bandRight = band?.End is { } be ? X(be) : frame.PlotRight;
        return new LineChart(
            frame,
            [.. series.Select(x => new ChartLine(x.Name, Segments(x.Points, X, Y)))],
            band is null ? 0 : bandX,
            band is null ? 0 : Math.Max(0, bandRight - bandX),
            min,
            max,
            from,
            to,
            values.Count > 0);
    }

    /// <summary>The drawn series named <paramref name="name"/>.</summary>
    public ChartLine Line(string name) => Lines.First(l => l.Name == name);

    /// <summary>A value as charts and statistics show it: up to 3 decimals; "—" for a value that does not exist (no data).</summary>
    public static string Number(double value) => double.IsFinite(value) ? value.ToString("0.###", CultureInfo.InvariantCulture) : "—";

    private static List<string> Segments(IEnumerable<ChartPoint> points, Func<DateTimeOffset, double> x, Func<double, double> y)
    {
        var segments = new List<string>();
        var current = new List<string>();
        foreach (var (time, value) in points.OrderBy(p => p.Time))
        {
            if (!double.IsFinite(value))
            {
                Flush();
                continue;
            }

            current.Add(string.Create(CultureInfo.InvariantCulture, $"{x(time):0.#},{y(value):0.#}"));
        }

        Flush();
        return segments;

        void Flush()
        {
            if (current.Count > 0)
            {
                segments.Add(string.Join(' ', current));
                current.Clear();
            }
        }
    }
}

using Mizzen.Canary.Reports;

namespace Mizzen.Server.Ui.Shared;

/// <summary>
/// A canary metric's control and experiment series (<c>control</c>, <c>experiment</c>) on one time axis as a <see cref="LineChart"/>,
/// with the analysis window as its shaded band: the axis spans the series and the window; a NaN point breaks its line.
/// </summary>
public static class CanaryChart
{
    public static LineChart Build(SeriesReport series, DateTimeOffset? windowStart, DateTimeOffset? windowEnd)
    {
        ArgumentNullException.ThrowIfNull(series);
        return LineChart.Build(
            ChartFrame.Wide,
            [new ChartSeries("control", Points(series.Control)), new ChartSeries("experiment", Points(series.Experiment))],
            band: windowStart is null && windowEnd is null ? null : (windowStart, windowEnd));
    }

    /// <summary>A statistic as the report shows it: up to 3 decimals; "—" for a value that does not exist (no data).</summary>
    public static string Number(double value) => LineChart.Number(value);

    private static List<ChartPoint> Points(SeriesData data) =>
        data.Start is { } start
            ? [.. data.Values.Select((v, i) => new ChartPoint(start.AddSeconds((double)i * Math.Max(1, data.StepSeconds)), v))]
            : [];
}

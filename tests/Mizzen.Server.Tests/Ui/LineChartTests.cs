using System.Globalization;
using Mizzen.Server.Ui.Shared;

namespace Mizzen.Server.Tests.Ui;

/// <summary>
/// The shared server-rendered line chart (canary report, load balancer page): NaN points are gaps, not zeros; the time axis spans the
/// window asked for; the value axis starts at 0 and reaches the highest value (or a floor), and the pixels follow from both.
/// </summary>
public sealed class LineChartTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Nan_points_are_gaps_not_zeros_and_a_lone_point_between_gaps_is_its_own_segment()
    {
        var chart = LineChart.Build(ChartFrame.Small, [Series("requests", 3, double.NaN, 5, 6, double.NaN, double.NaN, 2)]);

        var segments = chart.Line("requests").Segments;
        segments.Count.ShouldBe(3);
        segments.Select(s => s.Split(' ').Length).ShouldBe([1, 2, 1]);
        chart.Line("requests").PointCount.ShouldBe(4);
        Points(chart).Select(p => p.Y).ShouldNotContain(Y(chart, 0)); // no NaN was drawn at the zero line
    }

    [Fact]
    public void The_axes_span_the_window_asked_for_and_values_scale_from_zero_to_the_highest()
    {
        var frame = ChartFrame.Small;
        var chart = LineChart.Build(frame, [Series("requests", 2, 4, 8)], span: (Start.AddMinutes(-2), Start.AddMinutes(6)));

        chart.From.ShouldBe(Start.AddMinutes(-2));
        chart.To.ShouldBe(Start.AddMinutes(6));
        chart.YMin.ShouldBe(0);
        chart.YMax.ShouldBe(8);
        var points = Points(chart);
        var plotWidth = frame.PlotRight - ChartFrame.Left;
        points[0].X.ShouldBe(ChartFrame.Left + (plotWidth * 2 / 8), 0.1); // the first point is 2 of the 8 minutes in
        points[2].X.ShouldBe(ChartFrame.Left + (plotWidth * 4 / 8), 0.1);
        points[2].Y.ShouldBe(ChartFrame.Top, 0.1);                       // the highest value touches the top
        points[0].Y.ShouldBe(frame.PlotBottom - ((frame.PlotBottom - ChartFrame.Top) / 4), 0.1);
    }

    [Fact]
    public void A_floor_keeps_tiny_values_low_and_a_chart_with_only_nan_has_no_data_and_no_lines()
    {
        var floored = LineChart.Build(ChartFrame.Small, [Series("errors", 0.5, 0.5)], minimumMax: 100);
        floored.YMax.ShouldBe(100);
        Points(floored).ShouldAllBe(p => p.Y > ChartFrame.Top + ((ChartFrame.Small.PlotBottom - ChartFrame.Top) * 0.9));

        var empty = LineChart.Build(ChartFrame.Small, [Series("requests", double.NaN, double.NaN)], span: (Start, Start.AddMinutes(15)));
        empty.HasData.ShouldBeFalse();
        empty.Line("requests").Segments.ShouldBeEmpty();
        empty.From.ShouldBe(Start);
        empty.To.ShouldBe(Start.AddMinutes(15));
    }

    private static ChartSeries Series(string name, params double[] values) =>
        new(name, [.. values.Select((v, i) => new ChartPoint(Start.AddMinutes(i), v))]);

    private static double Y(LineChart chart, double value) =>
        ChartFrame.Top + ((chart.YMax - value) / (chart.YMax - chart.YMin) * (chart.Frame.PlotBottom - ChartFrame.Top));

    private static List<(double X, double Y)> Points(LineChart chart) =>
        [.. chart.Lines.SelectMany(l => l.Segments).SelectMany(s => s.Split(' '))
            .Select(p => p.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .Select(xy => (xy[0], xy[1]))];
}

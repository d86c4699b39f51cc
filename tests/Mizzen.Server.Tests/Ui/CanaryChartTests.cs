using System.Globalization;
using Mizzen.Canary.Reports;
using Mizzen.Server.Ui.Shared;

namespace Mizzen.Server.Tests.Ui;

/// <summary>The canary report's server-rendered chart: both series on one time axis, a gap for a missing point, the analysis window placed on it.</summary>
public sealed class CanaryChartTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Both_series_share_one_axis_a_missing_point_breaks_the_line_and_the_window_sits_where_its_times_are()
    {
        var series = new SeriesReport(
            new SeriesData(Start, 60, "control", [1, 2, double.NaN, 2, 1]),
            new SeriesData(Start, 60, "experiment", [2, 4, 4, 4, 2]));

        var chart = CanaryChart.Build(series, Start.AddMinutes(2), Start.AddMinutes(4));

        chart.HasData.ShouldBeTrue();
        chart.Line("control").Segments.Count.ShouldBe(2); // 1,2 | 2,1 around the NaN
        chart.Line("control").PointCount.ShouldBe(4);
        chart.Line("experiment").Segments.ShouldHaveSingleItem().Split(' ').Length.ShouldBe(5);
        chart.YMin.ShouldBe(0);
        chart.YMax.ShouldBe(4);
        chart.From.ShouldBe(Start);
        chart.To.ShouldBe(Start.AddMinutes(4));
        var plot = ChartFrame.Wide.PlotRight - ChartFrame.Left;
        chart.BandX.ShouldBe(ChartFrame.Left + (plot / 2), 0.01);
        chart.BandWidth.ShouldBe(plot / 2, 0.01);
        var experiment = chart.Line("experiment").Segments[0].Split(' ').Select(p => p.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        experiment[0][0].ShouldBe(ChartFrame.Left, 0.1);
        experiment[0][1].ShouldBeGreaterThan(experiment[1][1]); // 2 is drawn below 4
    }

    [Fact]
    public void A_metric_without_data_on_either_side_has_no_lines_but_keeps_its_window()
    {
        var series = new SeriesReport(new SeriesData(null, 60, null, []), new SeriesData(null, 60, null, []));

        var chart = CanaryChart.Build(series, Start, Start.AddMinutes(10));

        chart.HasData.ShouldBeFalse();
        chart.Lines.ShouldAllBe(l => l.Segments.Count == 0);
        chart.BandWidth.ShouldBeGreaterThan(0);
    }
}

using Mizzen.Canary.Configs;
using Mizzen.Canary.Judge;
using Mizzen.Canary.Reports;
using Xunit.Abstractions;

namespace Mizzen.Canary.Tests.Reports;

public sealed class CanaryReportTests(ITestOutputHelper output)
{
    private static readonly CanaryConfig Config = CanaryConfigJson.Parse("""
        {"name":"c","metrics":[
          {"name":"latency","groups":["l"],"analysisConfigurations":{"canary":{"effectSize":{"allowedIncrease":1.5}}}},
          {"name":"errors","groups":["e"],"analysisConfigurations":{"canary":{"direction":"decrease"}}}]}
        """);

    private static double[] Wave(double level, int n = 60) => Enumerable.Range(0, n).Select(i => level + Math.Sin(i * 0.7)).ToArray();

    private static CanaryReport Report()
        => CanaryReportBuilder.Build(new NetflixAcaJudge().Judge(
            Config,
            [new MetricSetPair("latency", Wave(10), Wave(12)), new MetricSetPair("errors", [.. Wave(1, 30), .. Enumerable.Repeat(double.NaN, 30)], Wave(5))],
            new CanaryScoreThresholds(95, 75)));

    [Fact]
    public void A_tolerated_increase_is_explained_with_the_effect_size_gate()
    {
        var latency = Report().Metrics[0];

        latency.Classification.ShouldBe("Pass");
        latency.Reason.ShouldContain("excludes the tolerance band");
        latency.Reason.ShouldContain("below allowedIncrease 1.5, so the change is tolerated");
        latency.Control.Median.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void A_high_metric_against_a_zero_baseline_says_there_is_no_mean_ratio_to_allow_for()
    {
        var config = CanaryConfigJson.Parse("""{"name":"c","metrics":[{"name":"error_rate","groups":["e"],"analysisConfigurations":{"canary":{"direction":"increase"}}}]}""");
        var errors = Enumerable.Range(0, 12).Select(i => 0.08 + (i % 3 * 0.01)).ToArray();

        var metric = CanaryReportBuilder.Build(new NetflixAcaJudge().Judge(
            config, [new MetricSetPair("error_rate", new double[12], errors)], new CanaryScoreThresholds(75, 50))).Metrics[0];

        metric.Classification.ShouldBe("High");
        metric.Reason.ShouldContain("canary mean 0.09 vs baseline mean 0");
        metric.Reason.ShouldContain("no mean ratio, so no effect-size allowance applies");
        metric.Reason.ShouldNotContain("NaN");
    }

    [Fact]
    public void An_ignored_direction_and_nan_counts_are_reported()
    {
        var errors = Report().Metrics[1];

        errors.Reason.ShouldContain("only a decrease fails this metric");
        errors.Control.NanCount.ShouldBe(30);
        errors.Warnings.ShouldContain(w => w.Contains("fewer", StringComparison.Ordinal) || w.Contains("30 points", StringComparison.Ordinal));
    }

    [Fact]
    public void The_json_writes_nan_gaps_as_null_and_the_table_lists_every_metric()
    {
        var report = Report();

        var json = CanaryReportJson.ToJson(report);
        var table = CanaryReportTable.Render(report);
        output.WriteLine(table);

        json["metrics"]![1]!["series"]!["control"]!["values"]![45].ShouldBeNull();
        table.ShouldContain("latency");
        table.ShouldContain("errors");
    }

    [Fact]
    public void A_report_read_back_from_its_json_renders_the_same_table()
    {
        var report = Report();

        // Through text, as the CLI receives it from the API.
        var read = CanaryReportJson.FromJson(System.Text.Json.Nodes.JsonNode.Parse(CanaryReportJson.Serialize(report))!);

        CanaryReportTable.Render(read).ShouldBe(CanaryReportTable.Render(report));
        double.IsNaN(read.Metrics[1].Series.Control.Values[45]).ShouldBeTrue();
        read.Metrics.Select(m => m.Name).ShouldBe(["latency", "errors"]);
    }
}

using Mizzen.Canary.Runs;

namespace Mizzen.Canary.Tests.Runs;

public sealed class OfflineCanaryJudgeTests
{
    private const string Config = """
        {"name":"checkout","metrics":[
          {"name":"error_rate","groups":["errors"],"query":{"type":"embedded","metricName":"http_requests_error_rate"},
           "analysisConfigurations":{"canary":{"direction":"increase","critical":true}}},
          {"name":"latency_p95","groups":["latency"],"query":{"type":"embedded","metricName":"latency"}}],
         "classifier":{"groupWeights":{"errors":50,"latency":50}}}
        """;

    private static string Series(Func<int, double> f) => "[" + string.Join(",", Enumerable.Range(0, 60).Select(i => f(i).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";

    [Fact]
    public void Doubled_error_rate_fails_and_the_json_names_the_critical_metric()
    {
        var control = $$"""{"error_rate": {{Series(i => 0.01 + (i % 5 * 0.001))}}, "latency_p95": {{Series(i => 100 + (i % 7))}}}""";
        var experiment = $$"""{"error_rate": {{Series(i => 0.02 + (i % 5 * 0.002))}}, "latency_p95": {{Series(i => 100 + (i % 7))}}}""";

        var report = OfflineCanaryJudge.Judge(Config, control, experiment, OfflineCanaryJudge.ParseThresholds("95,75"));
        var json = OfflineCanaryJudge.ToJson(report);

        json["score"]!.GetValue<double>().ShouldBe(0);
        json["classification"]!.GetValue<string>().ShouldBe("Fail");
        var metric = json["metrics"]![0]!;
        metric["name"]!.GetValue<string>().ShouldBe("error_rate");
        metric["classification"]!.GetValue<string>().ShouldBe("High");
        metric["critical"]!.GetValue<bool>().ShouldBeTrue();
        metric["reason"]!.GetValue<string>().ShouldStartWith("canary 100% higher than baseline; CI [");
        OfflineCanaryJudge.ToTable(report).ShouldContain("High (critical)");
    }

    [Fact]
    public void Null_values_are_gaps_and_a_missing_metric_is_nodata()
    {
        var control = """{"latency_p95": [1, null, "NaN", 2, 3]}""";
        var experiment = """{"latency_p95": [1, 2, 3, null]}""";

        var report = OfflineCanaryJudge.Judge(Config, control, experiment);

        report.Metrics[0].Classification.ShouldBe("Nodata");
        report.Metrics[1].Control.NanCount.ShouldBe(2);
        report.Thresholds.ShouldBe(new Mizzen.Canary.Reports.ReportThresholds(75, 50));
    }

    [Fact]
    public void Data_for_a_metric_the_config_lacks_is_rejected()
        => Should.Throw<CanaryConfigException>(() => OfflineCanaryJudge.Judge(Config, """{"cpu":[1]}""", "{}")).Message.ShouldContain("'cpu'");

    [Fact]
    public void Thresholds_must_be_pass_then_marginal()
        => Should.Throw<CanaryConfigException>(() => OfflineCanaryJudge.ParseThresholds("75"));
}

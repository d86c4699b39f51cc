using Mizzen.Canary.Configs;
using Mizzen.Canary.Judge;

namespace Mizzen.Canary.Tests.Judge;

public sealed class NetflixAcaJudgeTests
{
    private static readonly CanaryConfig Config = CanaryConfigJson.Parse("""
        {"name":"c","metrics":[
          {"name":"errors","groups":["e"],"analysisConfigurations":{"canary":{"direction":"increase","critical":true}}},
          {"name":"latency","groups":["l"],"analysisConfigurations":{"canary":{"nanStrategy":"remove"}}}],
         "classifier":{"groupWeights":{"e":60,"l":40}}}
        """);

    private static double[] Wave(double level, int n = 60) => Enumerable.Range(0, n).Select(i => level + Math.Sin(i * 0.7)).ToArray();

    [Fact]
    public void The_same_inputs_always_give_the_same_verdict_even_when_noise_is_added_to_constant_series()
    {
        var pairs = new[] { new MetricSetPair("errors", Enumerable.Repeat(1.0, 60).ToArray(), Enumerable.Repeat(1.2, 60).ToArray()), new MetricSetPair("latency", Wave(10), Wave(10)) };

        var results = Enumerable.Range(0, 5).Select(_ => new NetflixAcaJudge().Judge(Config, pairs, new(95, 75))).ToList();

        results[0].Results[0].Classification.NoiseAdded.ShouldBeTrue();
        results.Select(r => r.Results[0].Classification.Test!.Value).Distinct().ShouldHaveSingleItem();
        results.Select(r => (r.Score, r.Classification)).Distinct().ShouldHaveSingleItem();
    }

    [Fact]
    public void A_critical_high_metric_fails_the_canary_with_kayentas_reason()
    {
        var result = new NetflixAcaJudge().Judge(Config, [new MetricSetPair("errors", Wave(1), Wave(3)), new MetricSetPair("latency", Wave(10), Wave(10))], new(95, 75));

        result.Score.ShouldBe(0);
        result.Classification.ShouldBe(CanaryScoreClassification.Fail);
        result.ClassificationReason.ShouldBe("Canary Failed: The metric errors was classified as High (Critical)");
    }

    [Fact]
    public void Fewer_than_50_points_gives_the_orca_warning()
    {
        var result = new NetflixAcaJudge().Judge(Config, [new MetricSetPair("errors", Wave(1, 10), Wave(1, 10)), new MetricSetPair("latency", Wave(10, 10), Wave(10, 10))], new(95, 75));

        result.Score.ShouldBe(100);
        result.Warnings.ShouldHaveSingleItem().ShouldContain("fewer than 50 data points");
    }

    [Fact]
    public void NaN_points_are_removed_and_counted()
    {
        var control = Wave(10).Select((v, i) => i % 3 == 0 ? double.NaN : v).ToArray();

        var result = NetflixAcaJudge.JudgeMetric(Config.Metrics[1], new MetricSetPair("latency", control, Wave(10)));

        result.Control.NanCount.ShouldBe(20);
        result.Control.Statistics.Count.ShouldBe(40);
    }
}

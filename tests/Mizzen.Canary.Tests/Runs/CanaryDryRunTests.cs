using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Judge;
using Mizzen.Canary.Runs;
using Mizzen.Canary.Sources;
using Mizzen.Canary.Sources.Prometheus;
using Mizzen.Canary.Tests.Sources;

namespace Mizzen.Canary.Tests.Runs;

/// <summary>The dry run against a real Prometheus: what it fetches, and the judge's verdict on it when asked.</summary>
public sealed class CanaryDryRunTests(PrometheusFixture prometheus) : IClassFixture<PrometheusFixture>
{
    private static readonly CanaryConfig Config = CanaryConfigJson.Parse("""
        {
          "name": "latency-canary",
          "metrics": [
            { "name": "latency", "groups": ["perf"],
              "query": { "type": "prometheus", "customInlineTemplate": "PromQL:avg(canary_latency_seconds{scope=\"${scope}\",namespace=\"prod\"})" },
              "analysisConfigurations": { "canary": { "direction": "increase" } } }
          ],
          "classifier": { "groupWeights": { "perf": 100 } }
        }
        """);

    private MetricsSourceRegistry Sources() => new([new PrometheusMetricsSource(
        new HttpClient(),
        Options.Create(new PrometheusSourceOptions { BaseAddress = prometheus.BaseAddress, Retry = new MetricsFetchRetryOptions { MaxAttempts = 1 } }),
        TimeProvider.System,
        NullLogger<PrometheusMetricsSource>.Instance)]);

    private Dictionary<string, MetricScopePair> Scopes()
    {
        MetricScope Scope(string scope) => new(scope, "local", prometheus.FirstSampleAt.AddSeconds(-20), prometheus.FirstSampleAt.AddSeconds(2), 1);
        return new Dictionary<string, MetricScopePair> { ["default"] = new(Scope("app-baseline"), Scope("app-canary")) };
    }

    [Fact]
    public async Task With_thresholds_the_dry_run_judges_what_it_fetched_exactly_as_a_canary_interval_would()
    {
        var thresholds = new CanaryScoreThresholds(95, 75);

        var result = await new CanaryDryRun(Sources(), new NetflixAcaJudge()).RunAsync(Config, Scopes(), fetch: true, thresholds, CancellationToken.None);
        var interval = await new CanaryRunner(Sources(), new NetflixAcaJudge(), NullLogger<CanaryRunner>.Instance)
            .RunIntervalAsync(Config, Scopes(), thresholds, null, CancellationToken.None);

        result.NotJudged.ShouldBeNull();
        var judgment = result.Judgment.ShouldNotBeNull();
        judgment.Metrics.Single().Classification.ShouldBe("High");
        judgment.Score.ShouldBe(interval.Report.Score);
        judgment.Classification.ShouldBe(interval.Report.Classification);
        judgment.Metrics.Single().Reason.ShouldBe(interval.Report.Metrics.Single().Reason);
        var metric = result.Metrics.ShouldHaveSingleItem();
        metric.Control!.Query.ShouldBe("avg(canary_latency_seconds{scope=\"app-baseline\",namespace=\"prod\"})");
        metric.Experiment!.Series.Single().Values.Where(double.IsFinite).ShouldAllBe(v => v == 3.0);
        metric.Experiment.NonNaNPoints.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task The_dry_run_says_why_it_did_not_judge_when_nothing_was_fetched_or_a_metric_failed()
    {
        var dryRun = new CanaryDryRun(Sources());
        var thresholds = new CanaryScoreThresholds(75, 50);
        var unknownType = CanaryConfigJson.Parse("""
            {"name":"c","metrics":[{"name":"cpu","groups":["g"],"query":{"type":"atlas","q":"name,cpu"}}],"classifier":{"groupWeights":{"g":100}}}
            """);

        var unfetched = await dryRun.RunAsync(Config, Scopes(), fetch: false, thresholds, CancellationToken.None);
        var failed = await dryRun.RunAsync(unknownType, Scopes(), fetch: true, thresholds, CancellationToken.None);
        var notAsked = await dryRun.RunAsync(Config, Scopes(), fetch: true, null, CancellationToken.None);

        unfetched.Judgment.ShouldBeNull();
        unfetched.NotJudged.ShouldBe("nothing was fetched, so there is nothing to judge");
        unfetched.Metrics.Single().Control!.Series.ShouldBeEmpty();
        failed.Judgment.ShouldBeNull();
        failed.NotJudged.ShouldNotBeNull().ShouldStartWith("metric 'cpu' could not be fetched: metric 'cpu' uses query type 'atlas'");
        notAsked.Judgment.ShouldBeNull();
        notAsked.NotJudged.ShouldBeNull();
        notAsked.Metrics.Single().Control!.NonNaNPoints.ShouldBeGreaterThan(0);
    }
}

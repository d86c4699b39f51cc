using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Judge;
using Mizzen.Canary.Runs;
using Mizzen.Canary.Sources;
using Mizzen.Canary.Sources.Prometheus;

namespace Mizzen.Canary.Tests.Sources;

public sealed class PrometheusMetricsSourceTests(PrometheusFixture prometheus) : IClassFixture<PrometheusFixture>
{
    private static readonly CanaryConfig Config = CanaryConfigJson.Parse("""
        {
          "name": "latency-canary",
          "metrics": [
            { "name": "latency", "groups": ["perf"],
              "query": { "type": "prometheus", "metricName": "canary_latency_seconds", "customFilterTemplate": "by-scope" },
              "analysisConfigurations": { "canary": { "direction": "increase" } } },
            { "name": "latency-promql", "groups": ["perf"],
              "query": { "type": "prometheus", "customInlineTemplate": "PromQL:max(canary_latency_seconds{scope=\"${scope}\"})" } }
          ],
          "templates": { "by-scope": "scope=\"${scope}\",namespace=\"${namespace}\"" },
          "classifier": { "groupWeights": { "perf": 100 } }
        }
        """);

    private PrometheusMetricsSource Source() => new(
        new HttpClient(),
        Options.Create(new PrometheusSourceOptions { BaseAddress = prometheus.BaseAddress }),
        TimeProvider.System,
        NullLogger<PrometheusMetricsSource>.Instance);

    private MetricScope Scope(string scope, int step = 1)
        => new(scope, "local", prometheus.FirstSampleAt.AddSeconds(-20), prometheus.FirstSampleAt.AddSeconds(2), step, new Dictionary<string, string> { ["namespace"] = "prod" });

    [Fact]
    public async Task Range_query_binds_the_scope_labels_and_returns_the_exporter_values()
    {
        var sets = await Source().QueryAsync(Config, Config.Metrics[0], Scope("app-canary"), CancellationToken.None);

        var set = sets.ShouldHaveSingleItem();
        set.Query.ShouldBe("avg(canary_latency_seconds{scope=\"app-canary\",namespace=\"prod\"})");
        set.Values.Where(v => !double.IsNaN(v)).ShouldAllBe(v => v == 3.0);
        set.Values[^1].ShouldBe(3.0);
    }

    [Fact]
    public async Task Points_before_the_first_scrape_are_NaN_gaps_on_the_requested_grid()
    {
        var scope = Scope("app-baseline");

        var values = (await Source().QueryAsync(Config, Config.Metrics[0], scope, CancellationToken.None)).Single().Values;

        values.Count.ShouldBe(23);
        values.Take(10).ShouldAllBe(v => double.IsNaN(v));
        values[^1].ShouldBe(1.5);
    }

    [Fact]
    public async Task Step_in_seconds_sets_the_spacing_of_points()
    {
        var scope = Scope("app-baseline", step: 2) with { End = prometheus.FirstSampleAt.AddSeconds(2) };

        var set = (await Source().QueryAsync(Config, Config.Metrics[0], scope, CancellationToken.None)).Single();

        set.StepSeconds.ShouldBe(2);
        set.Values.Count.ShouldBe(12);
    }

    [Fact]
    public async Task A_PromQL_passthrough_is_sent_verbatim_after_template_expansion()
    {
        var set = (await Source().QueryAsync(Config, Config.Metrics[1], Scope("app-canary"), CancellationToken.None)).Single();

        set.Query.ShouldBe("max(canary_latency_seconds{scope=\"app-canary\"})");
        set.Values[^1].ShouldBe(7.0);
    }

    [Fact]
    public async Task A_query_matching_nothing_returns_no_series_and_the_dry_run_flags_it()
    {
        var registry = new MetricsSourceRegistry([Source()]);
        var scopes = new Dictionary<string, MetricScopePair> { ["default"] = new(Scope("app-baseline"), Scope("no-such-scope")) };

        var report = await new CanaryDryRun(registry).RunAsync(Config, scopes, fetch: true, CancellationToken.None);

        report[0].Problems.ShouldContain(p => p.Contains("experiment query returned no series", StringComparison.Ordinal));
        report[0].Control!.NonNaNPoints.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task The_runner_fetches_both_sides_from_prometheus_and_judges_the_canary_high()
    {
        var runner = new CanaryRunner(new MetricsSourceRegistry([Source()]), new NetflixAcaJudge(), NullLogger<CanaryRunner>.Instance);
        var scopes = new Dictionary<string, MetricScopePair> { ["default"] = new(Scope("app-baseline"), Scope("app-canary")) };

        var result = await runner.RunIntervalAsync(Config, scopes, new CanaryScoreThresholds(95, 75), null, CancellationToken.None);

        result.Judgement.Results.Single(r => r.Name == "latency").Label.ShouldBe(MetricClassificationLabel.High);
        result.Report.Metrics[0].Reason.ShouldStartWith("canary 100% higher than baseline");
        result.Continue.Succeeded.ShouldBeFalse();
    }
}

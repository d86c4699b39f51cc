using Mizzen.Canary.Configs;
using Mizzen.Canary.Sources;
using Mizzen.Canary.Sources.Embedded;

namespace Mizzen.Canary.Tests.Sources;

public sealed class EmbeddedMetricsSourceTests
{
    private sealed class FakeReader : IEmbeddedMetricsReader
    {
        public List<(string Account, string ServerGroup, string Metric, IReadOnlyDictionary<string, string> Labels, DateTimeOffset Start, DateTimeOffset End, TimeSpan Step)> Calls { get; } = [];

        public Task<IReadOnlyList<EmbeddedSeries>> QueryRangeAsync(string account, string serverGroup, string metricName, IReadOnlyDictionary<string, string> labels, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken)
        {
            Calls.Add((account, serverGroup, metricName, labels, start, end, step));
            IReadOnlyList<EmbeddedSeries> result = serverGroup == "empty" ? [] : [new EmbeddedSeries(labels, start, step, [0.1, double.NaN, 0.3])];
            return Task.FromResult(result);
        }
    }

    private static readonly CanaryConfig Config = CanaryConfigJson.Parse("""
        {"name":"c","metrics":[{"name":"errors","groups":["g"],
          "query":{"type":"embedded","metricName":"http_requests_error_rate","labels":{"route":"/checkout","sg":"${scope}"}}}]}
        """);

    private static MetricScope Scope(string serverGroup) => new(serverGroup, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(3), 60);

    [Fact]
    public async Task The_embedded_query_reads_the_server_group_with_expanded_labels_and_keeps_NaN_gaps()
    {
        var reader = new FakeReader();

        var sets = await new EmbeddedMetricsSource(reader).QueryAsync(Config, Config.Metrics[0], Scope("shop-v002"), CancellationToken.None);

        var call = reader.Calls.ShouldHaveSingleItem();
        call.Account.ShouldBe("local");
        call.Metric.ShouldBe("http_requests_error_rate");
        call.Labels["sg"].ShouldBe("shop-v002");
        call.Step.ShouldBe(TimeSpan.FromMinutes(1));
        double.IsNaN(sets.Single().Values[1]).ShouldBeTrue();
    }

    [Fact]
    public async Task The_scope_location_is_the_account_when_neither_the_query_nor_the_scope_parameters_name_one()
    {
        var reader = new FakeReader();
        var scope = Scope("shop-v002") with { Location = "prod" };

        await new EmbeddedMetricsSource(reader).QueryAsync(Config, Config.Metrics[0], scope, CancellationToken.None);

        reader.Calls.ShouldHaveSingleItem().Account.ShouldBe("prod");
    }

    [Fact]
    public async Task The_account_scope_parameter_wins_over_the_location_and_the_query_account_over_both()
    {
        var reader = new FakeReader();
        var scope = Scope("shop-v002") with { Location = "prod", ExtendedScopeParams = new Dictionary<string, string> { ["account"] = "staging" } };
        var withAccount = CanaryConfigJson.Parse("""
            {"name":"c","metrics":[{"name":"errors","groups":["g"],"query":{"type":"embedded","metricName":"x","account":"audit"}}]}
            """);

        await new EmbeddedMetricsSource(reader).QueryAsync(Config, Config.Metrics[0], scope, CancellationToken.None);
        await new EmbeddedMetricsSource(reader).QueryAsync(withAccount, withAccount.Metrics[0], scope, CancellationToken.None);

        reader.Calls.Select(c => c.Account).ShouldBe(["staging", "audit"]);
    }

    [Fact]
    public async Task Every_point_describes_a_step_inside_the_window_so_time_before_the_canary_started_is_not_judged()
    {
        var reader = new FakeReader();

        await new EmbeddedMetricsSource(reader).QueryAsync(Config, Config.Metrics[0], Scope("shop-v002"), CancellationToken.None);

        // A point is the step that ends at its timestamp: the first one ends a step after the window opens, the last at its end.
        var call = reader.Calls.ShouldHaveSingleItem();
        call.Start.ShouldBe(DateTimeOffset.UnixEpoch.AddMinutes(1));
        call.End.ShouldBe(DateTimeOffset.UnixEpoch.AddMinutes(3));
    }

    [Fact]
    public void The_embedded_query_text_differs_between_control_and_experiment()
    {
        var source = new EmbeddedMetricsSource(new FakeReader());

        source.BuildQuery(Config, Config.Metrics[0], Scope("shop-v001")).ShouldBe("embedded:local/shop-v001/http_requests_error_rate{route=\"/checkout\",sg=\"shop-v001\"}[step=60s]");
    }

    [Fact]
    public async Task The_dry_run_flags_identical_queries_and_empty_results()
    {
        var config = CanaryConfigJson.Parse("""{"name":"c","metrics":[{"name":"m","groups":["g"],"query":{"type":"embedded","metricName":"x"}}]}""");
        var registry = new MetricsSourceRegistry([new EmbeddedMetricsSource(new FakeReader())]);
        var scopes = new Dictionary<string, MetricScopePair> { ["default"] = new(Scope("empty"), Scope("empty")) };

        var result = (await new Mizzen.Canary.Runs.CanaryDryRun(registry).RunAsync(config, scopes, fetch: true, CancellationToken.None)).Single();

        result.Problems.ShouldContain(p => p.StartsWith("the control and experiment queries are identical", StringComparison.Ordinal));
        result.Problems.ShouldContain(p => p.StartsWith("the control query returned no series", StringComparison.Ordinal));
    }
}

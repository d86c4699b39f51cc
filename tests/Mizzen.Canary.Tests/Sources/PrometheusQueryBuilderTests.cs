using Mizzen.Canary.Configs;
using Mizzen.Canary.Sources;
using Mizzen.Canary.Sources.Prometheus;

namespace Mizzen.Canary.Tests.Sources;

/// <summary>Kayenta's <c>PrometheusMetricsServiceSpec</c> cases.</summary>
public sealed class PrometheusQueryBuilderTests
{
    private static string Build(string queryJson, string scope, IReadOnlyDictionary<string, string>? extended = null)
    {
        var config = CanaryConfigJson.Parse($$"""
            {"name":"c","templates":{"someTemplate":"some-label=${scope}","anotherTemplate":"my-server-group=${scope}"},
             "metrics":[{"name":"m","query":{{queryJson}}}]}
            """);
        return PrometheusQueryBuilder.Build(config, config.Metrics[0], new MetricScope(scope, "us-central1", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 60, extended));
    }

    [Theory]
    [InlineData("""{"type":"prometheus","metricName":"some-metric-name","labelBindings":["a=b"],"resourceType":"gce_instance"}""", "some-server-group",
        """avg(some-metric-name{a=b,instance=~"some-server-group-.{4}",zone=~".+/zones/us-central1-.{1}"})""")]
    [InlineData("""{"type":"prometheus","metricName":"some-metric-name","labelBindings":["a=b"],"resourceType":"aws_ec2_instance"}""", "some-server-group",
        """avg(some-metric-name{a=b,asg_groupName="some-server-group",zone=~"us-central1.{1}"})""")]
    [InlineData("""{"type":"prometheus","metricName":"some-metric-name","labelBindings":["a=b"],"customFilterTemplate":"someTemplate"}""", "some-app-canary",
        """avg(some-metric-name{some-label=some-app-canary,a=b})""")]
    [InlineData("""{"type":"prometheus","metricName":"some-metric-name","labelBindings":["a=b"],"resourceType":"anything_else","customInlineTemplate":"customFilter=something,andSomething=else","customFilterTemplate":"someTemplate"}""", "x",
        """avg(some-metric-name{customFilter=something,andSomething=else,a=b})""")]
    [InlineData("""{"type":"prometheus","metricName":"some-metric-name","labelBindings":["a=b"],"resourceType":"","customFilterTemplate":"anotherTemplate"}""", "some-baseline",
        """avg(some-metric-name{my-server-group=some-baseline,a=b})""")]
    [InlineData("""{"type":"prometheus","metricName":"m","labelBindings":["a=b"],"groupByFields":["g1","g2"],"customFilterTemplate":"someTemplate"}""", "s",
        """avg(m{some-label=s,a=b}) by (g1,g2)""")]
    public void Kayenta_prometheus_query_is_built(string query, string scope, string expected)
        => Build(query, scope).ShouldBe(expected);

    [Fact]
    public void A_PromQL_template_is_expanded_with_extended_scope_params_and_sent_verbatim()
    {
        var query = """{"type":"prometheus","customInlineTemplate":"PromQL:histogram_quantile(${quantile}, prometheus_http_response_size_bytes_bucket{instance=\"localhost:9090\",handler=\"${scope}\"})"}""";

        Build(query, "/graph", new Dictionary<string, string> { ["quantile"] = "0.99" })
            .ShouldBe("""histogram_quantile(0.99, prometheus_http_response_size_bytes_bucket{instance="localhost:9090",handler="/graph"})""");
    }

    [Fact]
    public void An_undefined_template_variable_is_an_error_naming_it()
    {
        var ex = Should.Throw<CanaryConfigException>(() => Build("""{"type":"prometheus","metricName":"m","customInlineTemplate":"ns=${namespace}"}""", "s"));

        ex.Message.ShouldContain("'${namespace}' is not defined");
        ex.Issues.ShouldHaveSingleItem().Path.ShouldBe("metrics[0].query.customInlineTemplate");
    }
}

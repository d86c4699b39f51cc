using Mizzen.Orchestration.Clouds;
using Mizzen.Providers.Local.Accounts;
using Mizzen.Providers.Local.Jobs;
using Mizzen.Providers.Local.Metrics;
using Mizzen.Providers.Local.ServerGroups;

namespace Mizzen.Providers.Local.Tests.Unit;

public sealed class ParsingTests
{
    [Fact]
    public void Prometheus_text_is_read_into_names_labels_and_values()
    {
        var samples = PrometheusTextParser.Parse("""
            # HELP demo_requests_total Requests.
            # TYPE demo_requests_total counter
            demo_requests_total{code="200",path="/a \"b\""} 12 1700000000000
            process_open_fds 7
            up{} NaN
            """).ToList();

        samples.Count.ShouldBe(3);
        samples[0].Name.ShouldBe("demo_requests_total");
        samples[0].Labels["path"].ShouldBe("/a \"b\"");
        samples[0].Value.ShouldBe(12);
        samples[1].Labels.ShouldBeEmpty();
        double.IsNaN(samples[2].Value).ShouldBeTrue();
    }

    [Fact]
    public void Job_output_property_lines_become_a_property_map()
    {
        var properties = JobOutputParser.Parse("noise\nSPINNAKER_PROPERTY_IMAGE=demo:1.2=3\r\nSPINNAKER_CONFIG_JSON={\"replicas\":2,\"tags\":[\"a\"]}\nSPINNAKER_CONFIG_JSON=not json\n");

        properties["image"].ShouldBe("demo:1.2=3");
        properties["replicas"].ShouldBe(2L);
        properties["tags"].ShouldBe(new List<object?> { "a" });
    }

    [Theory]
    [InlineData("demo", null, null, "demo")]
    [InlineData("demo", "prod", null, "demo-prod")]
    [InlineData("demo", null, "canary", "demo--canary")]
    [InlineData("demo", "prod", "canary-a", "demo-prod-canary-a")]
    public void Cluster_names_follow_Spinnakers_moniker(string app, string? stack, string? detail, string cluster)
    {
        Moniker.Cluster(app, stack, detail).ShouldBe(cluster);
        Moniker.TryParseServerGroup(Moniker.ServerGroup(cluster, 12), out var parsed, out var sequence).ShouldBeTrue();
        (parsed, sequence).ShouldBe((cluster, 12));
    }

    [Fact]
    public void Invalid_names_and_port_ranges_are_refused_with_the_field_named()
    {
        Should.Throw<Mizzen.Core.Errors.ValidationException>(() => Moniker.Cluster("de-mo", null, null)).Message.ShouldContain("application");
        Should.Throw<Mizzen.Core.Errors.ValidationException>(() => PortRange.Parse("2000-1000", "accounts[0].portRange")).Message.ShouldStartWith("accounts[0].portRange");
        PortRange.Parse("20000-20999", "x").Count.ShouldBe(1000);
    }

    [Fact]
    public void Env_values_with_secret_looking_names_are_redacted()
    {
        var redacted = SecretRedaction.Redact(new Dictionary<string, string> { ["DB_PASSWORD"] = "x", ["api_token"] = "y", ["AWS_SECRET_ACCESS_KEY"] = "z", ["VERSION"] = "v1" });

        redacted.ShouldBe(new Dictionary<string, string> { ["DB_PASSWORD"] = "***", ["api_token"] = "***", ["AWS_SECRET_ACCESS_KEY"] = "***", ["VERSION"] = "v1" });
    }
}

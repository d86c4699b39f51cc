using System.Text.Json.Nodes;
using Mizzen.Canary.Configs;
using Mizzen.Testing;

namespace Mizzen.Canary.Tests.Configs;

public sealed class CanaryConfigLoadingTests
{
    private const string Duplicated = "kayenta-web-duplicated-metric-name.json";

    public static TheoryData<string> ValidConfigs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(CompatData.PathOf("canary-configs"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            if (file != Duplicated)
            {
                data.Add(file!);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ValidConfigs))]
    public void Every_kayenta_canary_config_loads_and_validates(string file)
    {
        var (config, _) = CanaryConfigJson.Load(File.ReadAllText(CompatData.PathOf("canary-configs", file)));

        config.Metrics.ShouldNotBeEmpty();
    }

    [Theory]
    [MemberData(nameof(ValidConfigs))]
    public void Every_kayenta_canary_config_round_trips_with_unknown_fields_kept(string file)
    {
        var original = JsonNode.Parse(File.ReadAllText(CompatData.PathOf("canary-configs", file)))!;
        var expected = original["canaryConfig"] ?? original;

        var written = JsonNode.Parse(CanaryConfigJson.Serialize(CanaryConfigJson.Parse(original.ToJsonString())))!;

        JsonNode.DeepEquals(written, expected).ShouldBeTrue($"round trip changed {file}:\n{written}");
    }

    [Fact]
    public void The_duplicated_metric_name_config_is_rejected_naming_the_metric_and_its_location()
    {
        var ex = Should.Throw<CanaryException>(() => CanaryConfigJson.Load(File.ReadAllText(CompatData.PathOf("canary-configs", Duplicated))));

        ex.Message.ShouldContain("metrics[1].name: duplicated metric name 'mem' (first defined at metrics[0].name)");
        ex.ShouldBeOfType<CanaryConfigException>().Issues.Count(i => i.Severity == CanaryConfigIssueSeverity.Error).ShouldBe(1);
    }

    [Fact]
    public void A_metric_in_a_group_without_weight_is_reported_when_the_weights_already_total_100()
    {
        var (_, warnings) = CanaryConfigJson.Load(File.ReadAllText(CompatData.PathOf("canary-configs", "kayenta-judge-test-config.json")));

        warnings.ShouldContain(w => w.Path == "metrics[2].groups" && w.Message.Contains("group 'bar' has no weight", StringComparison.Ordinal));
    }
}

using Mizzen.Canary.Configs;
using Mizzen.Core.Errors;

namespace Mizzen.Canary.Tests.Configs;

/// <summary>Configs that crashed the loader before: each is now a <see cref="CanaryConfigException"/> naming the field.</summary>
public sealed class CanaryConfigInputTests
{
    private const string Metric = """{"name":"errors","groups":["e"],"query":{"type":"embedded","metricName":"error_rate"}}""";

    [Theory]
    [InlineData("""{"name":"n","metrics":[null]}""", "metrics[0]")]
    [InlineData("""{"name":"n","metrics":[{"name":"errors","groups":[null]}]}""", "metrics[0].groups[0]")]
    [InlineData("""{"name":"n","metrics":[{"name":"errors","groups":[""]}]}""", "metrics[0].groups[0]")]
    [InlineData("""{"name":"n","applications":[""],"metrics":[METRIC]}""", "applications[0]")]
    [InlineData("""{"name":"n","applications":["a/b"],"metrics":[METRIC]}""", "applications[0]")]
    [InlineData("""{"name":"n","metrics":null}""", "metrics")]
    public void A_config_with_a_null_or_empty_entry_is_refused_naming_the_entry(string json, string location)
    {
        var error = Should.Throw<CanaryConfigException>(() => CanaryConfigJson.Load(json.Replace("METRIC", Metric, StringComparison.Ordinal)));
        error.Problems.Select(p => p.Location).ShouldContain(location);
        error.Kind.ShouldBe(ErrorKind.Invalid);
    }

    [Theory]
    [InlineData("{\"name\":\"bad \\ud800\",\"metrics\":[]}", "line 1, column")]
    [InlineData("{\"name\":\"n\",\n\"classifier\":{\"groupWeights\":{\"e\":1e309}},\"metrics\":[]}", "line 2, column")]
    public void Text_no_config_can_hold_is_refused_naming_its_line(string json, string location)
    {
        var error = Should.Throw<CanaryConfigException>(() => CanaryConfigJson.Load(json));
        error.Problems.ShouldHaveSingleItem().Location.ShouldStartWith(location);
    }

    [Fact]
    public void A_repeated_key_takes_its_last_value()
    {
        var (config, _) = CanaryConfigJson.Load("{\"name\":\"one\",\"name\":\"two\",\"metrics\":[" + Metric + "]}");
        config.Name.ShouldBe("two");
    }
}

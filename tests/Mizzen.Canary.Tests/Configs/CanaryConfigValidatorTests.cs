using Mizzen.Canary.Configs;

namespace Mizzen.Canary.Tests.Configs;

public sealed class CanaryConfigValidatorTests
{
    private static IReadOnlyList<CanaryConfigIssue> Errors(string json)
        => CanaryConfigValidator.Validate(CanaryConfigJson.Parse(json)).Where(i => i.Severity == CanaryConfigIssueSeverity.Error).ToList();

    [Fact]
    public void Group_weights_that_do_not_total_100_are_an_error_on_the_classifier()
    {
        var errors = Errors("""{"name":"c","metrics":[{"name":"a","query":{"type":"prometheus"},"groups":["x"]},{"name":"b","query":{"type":"prometheus"},"groups":["y"]}],"classifier":{"groupWeights":{"x":60,"y":30}}}""");

        errors.ShouldHaveSingleItem().ToString().ShouldBe("classifier.groupWeights: weights total 90, but must total 100");
    }

    [Fact]
    public void An_unknown_direction_is_an_error_at_its_path()
    {
        var errors = Errors("""{"name":"c","metrics":[{"name":"a","query":{"type":"prometheus"},"groups":["x"],"analysisConfigurations":{"canary":{"direction":"up"}}}]}""");

        errors.ShouldHaveSingleItem().Path.ShouldBe("metrics[0].analysisConfigurations.canary.direction");
    }

    [Fact]
    public void A_string_where_kayenta_expects_a_boolean_is_rejected_with_its_path()
    {
        var ex = Should.Throw<CanaryConfigException>(() => CanaryConfigJson.Parse("""{"name":"c","metrics":[{"name":"a","analysisConfigurations":{"canary":{"critical":"true"}}}]}"""));

        ex.Issues.ShouldHaveSingleItem().Path.ShouldBe("metrics[0].analysisConfigurations.canary.critical");
    }

    [Fact]
    public void An_undefined_filter_template_is_an_error()
    {
        var errors = Errors("""{"name":"c","metrics":[{"name":"a","groups":["g"],"query":{"type":"prometheus","metricName":"m","customFilterTemplate":"nope"}}]}""");

        errors.ShouldHaveSingleItem().Path.ShouldBe("metrics[0].query.customFilterTemplate");
    }
}

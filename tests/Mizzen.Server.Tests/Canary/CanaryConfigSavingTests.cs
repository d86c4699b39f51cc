using System.Text.Json.Nodes;
using Mizzen.Canary.Sources;
using Mizzen.Core.Errors;
using Mizzen.Server.Canary;

namespace Mizzen.Server.Tests.Canary;

/// <summary>What the canary config editor and the dry run form show, from the same code as the API: problems with their location.</summary>
public sealed class CanaryConfigSavingTests
{
    [Fact]
    public void Broken_json_is_one_error_at_its_line_and_column()
    {
        var (errors, warnings) = CanaryConfigSaving.Validate("{\n  \"name\": \"c\",\n  \"metrics\": [\n}");

        errors.ShouldHaveSingleItem().Location.ShouldStartWith("line 4");
        warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Validator_errors_and_warnings_keep_their_json_paths_and_severity()
    {
        var (errors, warnings) = CanaryConfigSaving.Validate("""
            {"name":"c","metrics":[{"name":"a","groups":[],"query":{"type":"embedded","metricName":"x"},
              "analysisConfigurations":{"canary":{"nanStrategy":"zero"}}}]}
            """);

        errors.ShouldHaveSingleItem().Location.ShouldBe("metrics[0].analysisConfigurations.canary.nanStrategy");
        warnings.ShouldHaveSingleItem().Location.ShouldBe("metrics[0].groups");
        warnings[0].IsError.ShouldBeFalse();
    }

    [Fact]
    public void The_new_config_template_is_valid_without_warnings_and_names_its_application()
    {
        var text = CanaryConfigSaving.NewConfigTemplate("shop \"quoted\"");

        var (errors, warnings) = CanaryConfigSaving.Validate(CanaryConfigSaving.NewConfigTemplate("shop"));
        errors.ShouldBeEmpty();
        warnings.ShouldBeEmpty();
        JsonNode.Parse(text)!["applications"]![0]!.GetValue<string>().ShouldBe("shop \"quoted\"");
    }

    [Fact]
    public void A_dry_run_request_names_every_bad_field_at_once()
    {
        var request = JsonNode.Parse("""
            {"scopes":{"default":{"controlScope":{"scope":"a","start":"yesterday","end":"2026-01-01T00:10:00Z","step":"x"},
                                  "experimentScope":{"scope":"b","start":"2026-01-01T00:10:00Z","end":"2026-01-01T00:00:00Z","extendedScopeParams":[1]}},
                       "other":"no"},
             "thresholds":{"pass":101}}
            """)!.AsObject();

        var problems = Should.Throw<ValidationException>(() => CanaryDryRunRequest.Parse(request)).Problems.Select(p => p.Location);

        problems.ShouldBe(
            ["scopes.default.controlScope.start", "scopes.default.controlScope.step", "scopes.default.experimentScope.end",
             "scopes.default.experimentScope.extendedScopeParams", "scopes.other", "thresholds.pass", "thresholds.marginal"],
            ignoreOrder: true);
    }

    [Fact]
    public void A_good_dry_run_request_gives_each_scope_pair_and_the_thresholds()
    {
        var request = JsonNode.Parse("""
            {"scopes":{"default":{"controlScope":{"scope":"a","location":"local","start":"2026-01-01T00:00:00Z","end":"2026-01-01T00:10:00Z","step":10,"extendedScopeParams":{"ns":"prod"}},
                                  "experimentScope":{"scope":"b","start":"2026-01-01T00:00:00Z","end":"2026-01-01T00:10:00Z"}}},
             "thresholds":{"pass":90,"marginal":"60"}}
            """)!.AsObject();

        var parsed = CanaryDryRunRequest.Parse(request);

        var pair = parsed.Scopes["default"];
        pair.Control.ShouldBe(new MetricScope("a", "local", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 1, 0, 10, 0, TimeSpan.Zero), 10, pair.Control.ExtendedScopeParams));
        pair.Control.Parameters["ns"].ShouldBe("prod");
        pair.Experiment.StepSeconds.ShouldBe(60);
        parsed.Thresholds.ShouldBe(new Mizzen.Canary.Judge.CanaryScoreThresholds(90, 60));
    }
}

using Microsoft.Extensions.DependencyInjection;
using Mizzen.Orchestration.Validation;

namespace Mizzen.Triggers.Tests;

/// <summary>Pipeline validation with the trigger types registered (as the server and the CLI's offline validation have them).</summary>
public sealed class WebhookValidationTests
{
    private static IReadOnlyList<Core.Errors.ValidationProblem> Check(string triggers) =>
        PipelineValidator.ValidateOffline($$"""{"application":"a","name":"p","triggers":{{triggers}},"stages":[{"refId":"1","type":"wait","waitTime":1}]}""",
            services => services.AddTriggerValidation());

    [Fact]
    public void An_enabled_webhook_trigger_with_a_source_is_not_called_unsupported() =>
        Check("""[{"type":"webhook","enabled":true,"source":"ci","payloadConstraints":{"branch":"^main$"}}]""").ShouldBeEmpty();

    [Fact]
    public void A_webhook_trigger_that_can_never_fire_is_a_warning_that_says_why()
    {
        var problems = Check("""[{"type":"webhook","payloadConstraints":{"branch":"(main","build":{"n":7}}}]""");

        problems.ShouldAllBe(p => !p.IsError);
        problems.Select(p => p.Location).ShouldBe(
            ["triggers[0].enabled", "triggers[0].source", "triggers[0].payloadConstraints.branch", "triggers[0].payloadConstraints.build"],
            ignoreOrder: true);
        problems.Single(p => p.Location == "triggers[0].payloadConstraints.branch").Message.ShouldContain("is not a regular expression");
    }

    [Fact]
    public void A_cron_expression_that_does_not_parse_is_an_error_at_its_field()
    {
        var problem = Check("""[{"type":"cron","enabled":true,"cronExpression":"0 0 10 1 * MON"}]""").ShouldHaveSingleItem();

        problem.IsError.ShouldBeTrue();
        problem.Location.ShouldBe("triggers[0].cronExpression");
        problem.Message.ShouldContain("one of them must be '?'");
        Check("""[{"type":"cron","enabled":true,"cronExpression":"0 0 10 ? * MON-FRI"}]""").ShouldBeEmpty();
        Check("""[{"type":"cron","enabled":true}]""").ShouldHaveSingleItem().Location.ShouldBe("triggers[0].cronExpression");
    }

    [Fact]
    public void Trigger_types_not_built_yet_still_say_so() =>
        Check("""[{"type":"travis","enabled":true}]""").ShouldHaveSingleItem().Message.ShouldContain("not supported yet");
}

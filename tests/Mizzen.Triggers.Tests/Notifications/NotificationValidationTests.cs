using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Validation;
using Mizzen.Testing;

namespace Mizzen.Triggers.Tests.Notifications;

/// <summary>
/// Pipeline validation of notifications: the types Mizzen sends are checked (warnings only: a notification never stops a pipeline),
/// other types are named as not sent; the real Spinnaker pipelines with Slack and email notifications load and validate without
/// a notification warning.
/// </summary>
public sealed class NotificationValidationTests
{
    private static IReadOnlyList<ValidationProblem> Check(string json) =>
        PipelineValidator.ValidateOffline(json, s => s.AddTriggerValidation());

    [Theory]
    [InlineData("pipelines-wild", "homedepot-spingo-onboarding-notifications-pipeline.json")]
    [InlineData("pipelines", "orca-converted-pipeline-template-source.json")]
    [InlineData("pipelines-wild", "spinnaker-spinnaker-orca-mpt-v1-example-expected.json")]
    public void Real_pipelines_with_slack_and_email_notifications_load_and_have_no_notification_warning(string folder, string file)
    {
        var json = File.ReadAllText(CompatData.PathOf(folder, file));

        var problems = Check(json);

        var config = PipelineConfig.Parse(json).Json;
        var entries = (config["notifications"] as System.Text.Json.Nodes.JsonArray ?? []).Count
            + (config["stages"]?.AsArray() ?? []).Sum(stage => (stage?["notifications"] as System.Text.Json.Nodes.JsonArray ?? []).Count);
        entries.ShouldBeGreaterThan(0);
        problems.Where(p => p.Location.Contains("notifications", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Fact]
    public void The_slack_notification_of_a_real_pipeline_is_on_its_stage_and_fires_on_stage_complete()
    {
        var config = PipelineConfig.Parse(File.ReadAllText(CompatData.PathOf("pipelines-wild", "homedepot-spingo-onboarding-notifications-pipeline.json")));
        var stage = config.Json["stages"]![0]!.AsObject();

        var entries = Mizzen.Triggers.Notifications.NotificationEntry.ListOf(stage["notifications"]!.AsArray(), "stage");

        var slack = entries.ShouldHaveSingleItem();
        slack.Type.ShouldBe("slack");
        slack.When.ShouldBe(["stage.complete"]);
        slack.CustomText("stage.complete").ShouldNotBeNull().ShouldStartWith("A file has been uploaded to the onboarding bucket");
    }

    [Fact]
    public void Mistakes_in_a_notification_are_warnings_naming_the_field()
    {
        var problems = Check("""
            {"application":"a","name":"p","stages":[{"refId":"1","type":"wait","waitTime":1,
              "notifications":[{"type":"slack","address":"#x","when":["pipeline.failed"]}]}],
             "notifications":[
               {"type":"email","address":"not an address","when":["pipeline.complete"]},
               {"type":"webhook","address":"ftp://example.com/x","when":["pipeline.complete","stage.complete"]},
               {"type":"slack","address":"#deploys","when":["pipeline.finished"]},
               {"type":"slack","when":["pipeline.failed"]},
               {"type":"email","address":"a@example.com"},
               {"type":"pagerduty","address":"svc","when":["pipeline.failed"]}]}
            """);

        problems.ShouldAllBe(p => !p.IsError);
        problems.Select(p => $"{p.Location}: {p.Message}").ShouldBe([
            "notifications[0].address: 'not an address' is not an email address",
            "notifications[1].address: 'ftp://example.com/x' is not an http or https URL: a webhook notification posts to a URL",
            "notifications[1].when: 'stage.complete' is a stage event: a pipeline's notifications are sent for pipeline.* events only (put it in the stage's notifications)",
            "notifications[2].when: 'pipeline.finished' is not a notification event; use one of pipeline.starting, pipeline.complete, pipeline.failed, stage.starting, stage.complete, stage.failed, manualJudgment, manualJudgmentContinue, manualJudgmentStop",
            "notifications[3].address: notification 'slack' has no address: nothing will be sent",
            "notifications[4].when: notification 'email' lists no events in 'when': it is never sent",
            "notifications[5]: notification 'pagerduty' to 'svc' on pipeline.failed for the pipeline is not supported yet: nothing will be sent",
            "stages[0].notifications[0].when: 'pipeline.failed' is a pipeline event: a stage's notifications are sent for its stage and judgment events only (put it in the pipeline's notifications)",
        ], ignoreOrder: true);
    }
}

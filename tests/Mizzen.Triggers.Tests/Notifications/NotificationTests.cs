using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Queue;
using Mizzen.Testing.Stores;

namespace Mizzen.Triggers.Tests.Notifications;

/// <summary>
/// Pipeline and stage notifications through the real engine and store: mail to a real SMTP server (aiosmtpd), Slack messages to
/// <see cref="FakeSlack"/>, webhook posts to a loopback listener; delivery after the change, retried with backoff, never failing the run,
/// sent once across redelivery (the record of what was sent is in the store: SQLite and PostgreSQL).
/// </summary>
public abstract class NotificationTests(StoreBackend backend) : IAsyncLifetime
{
    private SmtpTestServer smtp = null!;
    private FakeSlack slack = null!;
    private WebhookReceiver hooks = null!;
    private NotificationEngine engine = null!;

    public async Task InitializeAsync()
    {
        smtp = await SmtpTestServer.StartNewAsync();
        slack = await FakeSlack.StartAsync();
        hooks = await WebhookReceiver.StartAsync();
        engine = await NotificationEngine.CreateAsync(backend, smtp.Port, slack.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        await hooks.DisposeAsync();
        await slack.DisposeAsync();
        await smtp.DisposeAsync();
    }

    private string Release(string extraNotifications = "") => """
        {"id":"release","application":"shop","name":"release",
         "parameterConfig":[{"name":"fail","default":"no"},{"name":"version","default":"1.2.3"}],
         "notifications":[
           {"type":"email","address":"dev@example.com, ops@example.com","cc":"lead@example.com","level":"pipeline","when":["pipeline.complete","pipeline.failed"]},
           {"type":"slack","address":"deploys","level":"pipeline","when":["pipeline.starting","pipeline.failed"],
            "message":{"pipeline.failed":{"text":"Release ${execution.name} of ${parameters.version} failed"}}},
           {"type":"webhook","address":"HOOK_URL","level":"pipeline","when":["pipeline.complete"]}EXTRA],
         "stages":[{"refId":"1","type":"checkPreconditions","name":"gate",
                    "preconditions":[{"type":"expression","context":{"expression":"${parameters.fail == 'no'}"},"failPipeline":true}]}]}
        """.Replace("HOOK_URL", hooks.Url, StringComparison.Ordinal).Replace("EXTRA", extraNotifications, StringComparison.Ordinal);

    [Fact]
    public async Task A_completed_pipeline_mails_every_address_with_the_link_tells_slack_it_started_and_posts_the_webhook()
    {
        var run = await engine.StartAsync(Release());

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        var mail = smtp.Messages().ShouldHaveSingleItem();
        mail.To.Mailboxes.Select(m => m.Address).ShouldBe(["dev@example.com", "ops@example.com"]);
        mail.Cc.Mailboxes.Select(m => m.Address).ShouldBe(["lead@example.com"]);
        mail.From.Mailboxes.Single().Address.ShouldBe("mizzen@example.test");
        mail.Subject.ShouldBe("Succeeded: pipeline 'release' of shop");
        mail.TextBody.ShouldNotBeNull().ShouldContain($"View the run: {NotificationEngine.PublicUrl}/ui/executions/{run.Id}");
        mail.TextBody.ShouldNotBeNull().ShouldContain("Application: shop. Status: SUCCEEDED.");

        var (channel, text) = slack.Posted.ShouldHaveSingleItem();
        channel.ShouldBe("#deploys");
        text.ShouldStartWith("Starting: pipeline 'release' of shop.");

        var hook = hooks.Received.ShouldHaveSingleItem();
        hook["event"]!.GetValue<string>().ShouldBe("pipeline.complete");
        hook["execution"]!["id"]!.GetValue<string>().ShouldBe(run.Id);
        hook["execution"]!["status"]!.GetValue<string>().ShouldBe("SUCCEEDED");
        hook["link"]!.GetValue<string>().ShouldBe($"{NotificationEngine.PublicUrl}/ui/executions/{run.Id}");
    }

    [Fact]
    public async Task A_failed_pipeline_sends_the_custom_slack_text_evaluated_against_the_run_and_a_failure_mail()
    {
        var run = await engine.StartAsync(Release(), new JsonObject { ["fail"] = "yes", ["version"] = "2.0.0" });

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        smtp.Messages().ShouldHaveSingleItem().Subject.ShouldBe("Failed (TERMINAL): pipeline 'release' of shop");
        slack.Posted.Select(p => p.Text).ShouldBe([
            $"Starting: pipeline 'release' of shop.\nApplication: shop. Run: {run.Id}.\n\nView the run: {NotificationEngine.PublicUrl}/ui/executions/{run.Id}",
            $"Release release of 2.0.0 failed\n\nView the run: {NotificationEngine.PublicUrl}/ui/executions/{run.Id}",
        ]);
        hooks.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_custom_text_whose_expression_fails_is_sent_as_written_with_a_log()
    {
        var config = Release().Replace("${parameters.version}", "${#nosuchfunction()}", StringComparison.Ordinal);

        var run = await engine.StartAsync(config, new JsonObject { ["fail"] = "yes" });

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        slack.Posted.Last().Text.ShouldStartWith("Release ${execution.name} of ${#nosuchfunction()} failed");
        engine.Logs.Lines.ShouldContain(l => l.Contains("has expressions that failed", StringComparison.Ordinal));
    }

    private const string Judged = """
        {"id":"judged","application":"shop","name":"judged",
         "stages":[
           {"refId":"1","type":"evaluateVariables","name":"prepare","variables":[{"key":"v","value":"1"}],
            "sendNotifications":true,
            "notifications":[{"type":"slack","address":"#builds","level":"stage","when":["stage.starting","stage.complete"]}]},
           {"refId":"2","requisiteStageRefIds":["1"],"type":"manualJudgment","name":"approve","instructions":"Check the canary first",
            "judgmentInputs":[{"value":"ship"}],"sendNotifications":true,
            "notifications":[
              {"type":"email","address":"approvers@example.com","level":"stage","when":["manualJudgment","manualJudgmentContinue","manualJudgmentStop"]},
              {"type":"slack","address":"#builds","level":"stage","when":["stage.complete","stage.failed"]}]}]}
        """;

    [Fact]
    public async Task Stage_events_are_sent_and_a_manual_judgment_mails_a_link_to_judge_then_who_continued()
    {
        var run = await engine.StartAsync(Judged);

        run.Status.ShouldBe(ExecutionStatus.Running);
        var judgment = run.Stages.Single(s => s.Type == "manualJudgment");
        slack.Posted.Select(p => p.Text.Split('\n')[0]).ShouldBe([
            "Starting: stage 'prepare' of pipeline 'judged' of shop.",
            "Succeeded: stage 'prepare' of pipeline 'judged' of shop.",
        ]);
        var awaiting = smtp.Messages().ShouldHaveSingleItem();
        awaiting.To.Mailboxes.Single().Address.ShouldBe("approvers@example.com");
        awaiting.Subject.ShouldBe("Awaiting judgment: stage 'approve' of pipeline 'judged' of shop");
        awaiting.TextBody.ShouldNotBeNull().ShouldContain("Instructions: Check the canary first");
        awaiting.TextBody.ShouldNotBeNull().ShouldContain($"Judge it: {NotificationEngine.PublicUrl}/ui/executions/{run.Id}#stage-{judgment.Id}");

        await engine.Services.Get<IExecutionRunner>().UpdateStageAsync(run.Id, judgment.Id,
            new JsonObject { ["judgmentStatus"] = "continue", ["judgmentInput"] = "ship" }, "bob", CancellationToken.None);
        await engine.DrainAsync();

        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);
        var mails = smtp.Messages();
        mails.Count.ShouldBe(2);
        var continued = mails[1];
        continued.Subject.ShouldBe("Judged to continue by bob: stage 'approve' of pipeline 'judged' of shop");
        continued.TextBody.ShouldNotBeNull().ShouldContain("Input: ship");
        // The judgment stage's plain stage.complete is not sent: it has judgment notifications (echo's rule).
        slack.Posted.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_judgment_to_stop_mails_the_stop_and_the_run_fails()
    {
        var run = await engine.StartAsync(Judged);
        var judgment = run.Stages.Single(s => s.Type == "manualJudgment");

        await engine.Services.Get<IExecutionRunner>().UpdateStageAsync(run.Id, judgment.Id, new JsonObject { ["judgmentStatus"] = "stop" }, "bob", CancellationToken.None);
        await engine.DrainAsync();

        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Terminal);
        var mails = smtp.Messages();
        mails.Count.ShouldBe(2);
        mails[0].Subject.ShouldStartWith("Awaiting judgment");
        mails[1].Subject.ShouldStartWith("Judged to stop");
    }

    [Fact]
    public async Task A_pipeline_without_notifications_pushes_no_lifecycle_message()
    {
        var run = await engine.StartAsync("""
            {"id":"quiet","application":"shop","name":"quiet",
             "stages":[{"refId":"1","type":"evaluateVariables","name":"a","variables":[{"key":"v","value":"1"}]},
                       {"refId":"2","requisiteStageRefIds":["1"],"type":"evaluateVariables","name":"b","variables":[{"key":"w","value":"2"}],
                        "sendNotifications":false,"notifications":[{"type":"slack","address":"#x","when":["stage.complete"]}]}]}
            """);

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        engine.Handled.ShouldNotBeEmpty();
        engine.Handled.ShouldNotContain(h => h.Kind == "notifyLifecycle");
        slack.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task A_down_smtp_server_does_not_fail_the_run_and_the_mail_goes_out_on_a_retry_while_the_webhook_is_not_posted_twice()
    {
        await smtp.StopAsync();

        var run = await engine.StartAsync(Release());

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        hooks.Received.Count.ShouldBe(1);
        engine.Logs.Lines.ShouldContain(l => l.Contains("Sending the pipeline notification 0 (email)", StringComparison.Ordinal) && l.Contains("it will be retried", StringComparison.Ordinal));
        (await engine.NextDueInAsync()).ShouldBe(TimeSpan.FromSeconds(2)); // the queue's backoff after the first failed attempt

        await smtp.StartAsync();
        (await engine.AdvanceAsync()).ShouldBeTrue();

        smtp.Messages().ShouldHaveSingleItem().Subject.ShouldBe("Succeeded: pipeline 'release' of shop");
        hooks.Received.Count.ShouldBe(1);
        (await engine.NextDueInAsync()).ShouldBeNull();
        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task A_notification_that_keeps_failing_is_given_up_with_a_log_after_the_last_attempt_and_the_run_stays_succeeded()
    {
        await smtp.StopAsync();
        var run = await engine.StartAsync(Release());

        for (var i = 0; i < 10 && await engine.AdvanceAsync(); i++)
        {
        }

        (await engine.NextDueInAsync()).ShouldBeNull();
        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);
        engine.LifecycleMessages().Count(m => m.Event == LifecycleEvents.PipelineComplete).ShouldBe(6); // 5 attempts, then the drop
        engine.Logs.Lines.Count(l => l.Contains("Sending the pipeline notification 0 (email)", StringComparison.Ordinal)).ShouldBe(5);
        engine.Logs.Lines.ShouldContain(l => l.Contains($"Gave up telling pipeline.complete (stage -) of execution {run.Id} after 5 attempts", StringComparison.Ordinal));
        hooks.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Slack_ok_false_is_a_failure_naming_the_error_and_a_429_waits_for_retry_after()
    {
        slack.RateLimitedCalls = 1;
        var missing = """,{"type":"slack","address":"#missing","level":"pipeline","when":["pipeline.starting"]}""";

        var run = await engine.StartAsync(Release(missing));

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        slack.Posted.ShouldBeEmpty();
        engine.Logs.Lines.ShouldContain(l => l.Contains("HTTP 429", StringComparison.Ordinal));
        engine.Logs.Lines.ShouldContain(l => l.Contains("failed: channel_not_found", StringComparison.Ordinal));
        engine.Logs.Lines.ShouldNotContain(l => l.Contains(FakeSlack.Token, StringComparison.Ordinal));
        (await engine.NextDueInAsync()).ShouldBe(TimeSpan.FromSeconds(7)); // Retry-After, longer than the 2 s backoff

        (await engine.AdvanceAsync()).ShouldBeTrue();

        slack.Posted.ShouldHaveSingleItem().Channel.ShouldBe("#deploys");
    }

    [Fact]
    public async Task A_slack_incoming_webhook_as_address_gets_the_text_and_a_revoked_one_fails_without_its_secret_path_in_the_log()
    {
        var hooksAsAddresses = $$""",{"type":"slack","address":"{{slack.BaseUrl}}/services/T000/B000/s3cr3tpath, {{slack.BaseUrl}}/services/REVOKED/B000/s3cr3tpath","level":"pipeline","when":["pipeline.complete"]}""";

        var run = await engine.StartAsync(Release(hooksAsAddresses));

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        var (channel, text) = slack.Posted.Last();
        channel.ShouldBe("(webhook)");
        text.ShouldStartWith("Succeeded: pipeline 'release' of shop.");
        engine.Logs.Lines.ShouldContain(l => l.Contains("answered HTTP 404: no_service", StringComparison.Ordinal));
        engine.Logs.Lines.ShouldNotContain(l => l.Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_token_a_channel_gets_its_message_through_the_configured_incoming_webhook_which_no_log_names()
    {
        var configuredHook = $"{slack.BaseUrl}/services/T111/B111/c0nf1gured";
        await using var withoutToken = await NotificationEngine.CreateAsync(backend, smtp.Port, slack.BaseUrl, o =>
        {
            o.Slack.Token = null;
            o.Slack.WebhookUrl = configuredHook;
        });

        var run = await withoutToken.StartAsync(Release(), new JsonObject { ["fail"] = "yes" });

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        slack.Posted.Select(p => p.Channel).ShouldBe(["#deploys", "#deploys"]);
        withoutToken.Logs.Lines.ShouldNotContain(l => l.Contains("c0nf1gured", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_notification_of_a_type_mizzen_does_not_send_is_skipped_and_the_others_go_out_without_a_retry()
    {
        var run = await engine.StartAsync(Release(""",{"type":"pagerduty","address":"svc-123","level":"pipeline","when":["pipeline.complete"]}"""));

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        smtp.Messages().Count.ShouldBe(1);
        hooks.Received.Count.ShouldBe(1);
        (await engine.NextDueInAsync()).ShouldBeNull();
        engine.LifecycleMessages().Count(m => m.Event == LifecycleEvents.PipelineComplete).ShouldBe(1);
    }

    [Fact]
    public async Task A_lifecycle_message_told_again_after_a_crash_sends_nothing_twice()
    {
        var run = await engine.StartAsync(Release());
        var complete = engine.LifecycleMessages().Single(m => m.Event == LifecycleEvents.PipelineComplete);

        // As if the process died after the listeners ran but before the message was removed: it is handled again.
        foreach (var listener in engine.Services.Provider.GetServices<IExecutionLifecycleListener>())
        {
            await listener.OnLifecycleAsync(new ExecutionLifecycleEvent(complete.ExecutionId, complete.Event, complete.StageId, complete.At), run, CancellationToken.None);
        }

        smtp.Messages().Count.ShouldBe(1);
        hooks.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_cancelled_run_notifies_nothing()
    {
        var run = await engine.StartAsync(Judged);
        await engine.Services.Get<IExecutionRunner>().CancelAsync(run.Id, "alice", "not today", CancellationToken.None);
        await engine.DrainAsync();

        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Canceled);
        smtp.Messages().Count.ShouldBe(1); // only the judgment request sent before the cancel
    }
}

public sealed class NotificationTestsOnSqlite() : NotificationTests(StoreBackend.Sqlite);

public sealed class NotificationTestsOnPostgres() : NotificationTests(StoreBackend.Postgres);

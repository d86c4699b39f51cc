using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Secrets;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Stages.Webhook;
using Mizzen.Orchestration.Tasks;
using Mizzen.Testing;
using static Mizzen.Orchestration.Tests.Stages.StageTestKit;

namespace Mizzen.Orchestration.Tests.Stages.Webhook;

public sealed class WebhookTaskTests(WebhookTestServer server) : IClassFixture<WebhookTestServer>, IDisposable
{
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private readonly ServiceProvider services = new ServiceCollection().AddLogging()
        .AddMizzenSecrets(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mizzen:Secrets:ci-token"] = "s3cret-token",
            ["Mizzen:SecretStore:AllowedInPipelines:0"] = "ci-token",
        }).Build())
        .AddCoreStages().BuildServiceProvider();

    private CreateWebhookTask Create => services.GetRequiredService<CreateWebhookTask>();

    private MonitorWebhookTask Monitor => services.GetRequiredService<MonitorWebhookTask>();

    public void Dispose() => services.Dispose();

    private StageExecution Webhook(string path, string extra = "") =>
        Stage("webhook", $$"""{"url": "{{server.BaseUrl}}{{path}}"{{extra}}}""");

    private async Task<TaskResult> Run(ITask task, StageExecution stage)
    {
        var result = await task.ExecuteAsync(For(stage, clock), CancellationToken.None);
        Apply(stage, result);
        return result;
    }

    [Fact]
    public async Task A_webhook_answered_with_200_succeeds_and_stores_the_response()
    {
        var stage = Webhook("/hooks/ok", """, "method": "post", "payload": {"version": "1.2.3"}""");

        var result = await Run(Create, stage);

        result.Status.ShouldBe(ExecutionStatus.Succeeded);
        var webhook = result.Outputs!["webhook"]!;
        webhook["statusCode"].AsString().ShouldBe("OK");
        webhook["statusCodeValue"].AsLong().ShouldBe(200);
        webhook["body"]!["id"].AsString().ShouldBe("42");
        webhook["headers"]!["Content-Type"].AsString()!.ShouldStartWith("application/json");
        stage.Context["webhook"]!["statusCodeValue"].AsLong().ShouldBe(200);
        var received = server.Received.Last(r => r.PathAndQuery == "/hooks/ok");
        received.Method.ShouldBe("POST");
        received.Body.ShouldBe("""{"version":"1.2.3"}""");
    }

    [Fact]
    public async Task Custom_headers_are_sent_but_their_values_are_never_stored()
    {
        var stage = Webhook("/hooks/ok", """, "customHeaders": {"Authorization": "Bearer ${secret:ci-token}", "X-Team": ["blue", "green"]}""");

        var result = await Run(Create, stage);

        var received = server.Received.Last(r => r.PathAndQuery == "/hooks/ok");
        received.Headers["Authorization"].ShouldBe(["Bearer s3cret-token"]);
        string.Join(", ", received.Headers["X-Team"]).ShouldBe("blue, green");
        result.Context!.ToJsonString().ShouldNotContain("s3cret-token");
        result.Outputs!.ToJsonString().ShouldNotContain("s3cret-token");
    }

    [Fact]
    public async Task A_server_error_is_retried_and_the_next_success_completes_the_call()
    {
        var stage = Webhook("/hooks/flaky");

        var first = await Run(Create, stage);
        first.Status.ShouldBe(ExecutionStatus.Running);
        first.Context!["webhook"]!["error"].AsString()!.ShouldContain("will retry");
        first.Context["webhook"]!["statusCodeValue"].AsLong().ShouldBe(500);

        (await Run(Create, stage)).Status.ShouldBe(ExecutionStatus.Succeeded);
        server.CallsTo("flaky").ShouldBe(2);
    }

    [Fact]
    public async Task Too_many_requests_is_retried_after_the_servers_retry_after()
    {
        var result = await Run(Create, Webhook("/hooks/busy"));

        result.Status.ShouldBe(ExecutionStatus.Running);
        result.BackoffOverride.ShouldBe(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task A_gateway_timeout_fails_fast_by_default()
    {
        var result = await Run(Create, Webhook("/hooks/gateway"));

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        result.Context!["webhook"]!["error"].AsString().ShouldBe("Received a status code configured to fail fast, terminating stage.");
    }

    [Fact]
    public async Task A_client_error_is_terminal_with_the_status_code()
    {
        var result = await Run(Create, Webhook("/hooks/missing"));

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        ErrorOf(result)!.ShouldContain("with status code 404");
        result.Outputs!["webhook"]!["body"]!["error"].AsString().ShouldBe("no such hook");
    }

    [Fact]
    public async Task A_polled_status_endpoint_goes_from_running_to_success()
    {
        var stage = Webhook("/status/poll-get", """
            , "method": "GET", "waitForCompletion": true, "statusUrlResolution": "getMethod",
              "statusJsonPath": "$.state", "progressJsonPath": "$['detail']", "successStatuses": "SUCCESS,OK", "terminalStatuses": "FAILED"
            """);

        (await Run(Create, stage)).Status.ShouldBe(ExecutionStatus.Succeeded);
        stage.Context["statusEndpoint"].AsString().ShouldBe(server.BaseUrl + "/status/poll-get");

        var running = await Run(Monitor, stage);
        running.Status.ShouldBe(ExecutionStatus.Succeeded, "the create call was the first RUNNING answer; this poll is the second");
        running.Outputs!["webhook"]!["monitor"]!["progressMessage"].AsString().ShouldBe("done");
        stage.Context["webhook"]!["statusCodeValue"].AsLong().ShouldBe(200, "the create results stay beside the monitor results");
    }

    [Fact]
    public async Task Monitoring_keeps_running_until_the_status_is_a_success_status()
    {
        var stage = Webhook("/hooks/accepted", """, "waitForCompletion": true, "statusUrlResolution": "locationHeader", "statusJsonPath": "$.state", "successStatuses": "success" """);

        (await Run(Create, stage)).Status.ShouldBe(ExecutionStatus.Succeeded);
        stage.Context["statusEndpoint"].AsString().ShouldBe(server.BaseUrl + "/status/from-location");

        (await Run(Monitor, stage)).Status.ShouldBe(ExecutionStatus.Running);
        (await Run(Monitor, stage)).Status.ShouldBe(ExecutionStatus.Succeeded);
        stage.Context["webhook"]!["monitor"]!["pastStatusCodes"]!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public async Task The_status_url_can_come_from_the_webhook_response_body()
    {
        var stage = Webhook("/hooks/ok", """, "waitForCompletion": true, "statusUrlResolution": "webhookResponse", "statusUrlJsonPath": "$.links[0].status", "statusJsonPath": "state", "successStatuses": "SUCCESS" """);

        (await Run(Create, stage)).Status.ShouldBe(ExecutionStatus.Succeeded);

        stage.Context["statusEndpoint"].AsString().ShouldBe(server.BaseUrl + "/status/from-body");
        (await Run(Monitor, stage)).Status.ShouldBe(ExecutionStatus.Running);
    }

    [Theory]
    [InlineData("failed", ExecutionStatus.Terminal)]
    [InlineData("Aborted", ExecutionStatus.Canceled)]
    [InlineData("queued", ExecutionStatus.Running)]
    public async Task A_status_is_mapped_case_insensitively_to_terminal_canceled_or_running(string state, ExecutionStatus expected)
    {
        var stage = Stage("webhook", $$"""
            {"url": "{{server.BaseUrl}}/x", "statusEndpoint": "{{server.BaseUrl}}/final/{{state}}", "statusJsonPath": "$.run.state",
             "successStatuses": "SUCCEEDED", "canceledStatuses": "ABORTED, CANCELED", "terminalStatuses": "FAILED,ERROR"}
            """);

        (await Run(Monitor, stage)).Status.ShouldBe(expected);
    }

    [Theory]
    [InlineData(50, ExecutionStatus.Running)]
    [InlineData(100, ExecutionStatus.Succeeded)]
    public async Task A_numeric_status_is_the_percent_complete(int percent, ExecutionStatus expected)
    {
        var stage = Stage("webhook", $$"""{"statusEndpoint": "{{server.BaseUrl}}/progress/{{percent}}", "statusJsonPath": "$.percent"}""");

        var result = await Run(Monitor, stage);

        result.Status.ShouldBe(expected);
        result.Outputs!["webhook"]!["monitor"]!["percentComplete"].AsLong().ShouldBe(percent);
    }

    [Fact]
    public async Task A_status_path_that_finds_nothing_is_terminal()
    {
        var stage = Stage("webhook", $$"""{"statusEndpoint": "{{server.BaseUrl}}/progress/5", "statusJsonPath": "$.nothing.here"}""");

        var result = await Run(Monitor, stage);

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        ErrorOf(result)!.ShouldContain("$.nothing.here");
    }

    [Fact]
    public async Task An_unavailable_status_endpoint_is_retried_until_its_retry_limit()
    {
        var stage = Stage("webhook", $$$"""{"statusEndpoint": "{{{server.BaseUrl}}}/unavailable", "statusJsonPath": "$.state", "retries": {"503": {"maxAttempts": 2} } }""");

        (await Run(Monitor, stage)).Status.ShouldBe(ExecutionStatus.Running);
        var second = await Run(Monitor, stage);

        second.Status.ShouldBe(ExecutionStatus.Terminal);
        ErrorOf(second)!.ShouldContain("503 2 times");
    }

    [Fact]
    public async Task An_unreachable_host_fails_with_a_message_naming_the_url_without_its_query()
    {
        var stage = Stage("webhook", """{"url": "http://127.0.0.1:1/hook?token=abc"}""");

        var result = await Run(Create, stage);

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        result.Context!["webhook"]!["error"].AsString()!.ShouldContain("http://127.0.0.1:1/hook");
        result.Context.ToJsonString().ShouldNotContain("token=abc");
    }

    [Fact]
    public void The_stage_runs_create_wait_and_monitor_when_it_waits_for_completion()
    {
        var tasks = new TaskGraph();
        new WebhookStage().BuildTasks(Stage("webhook", """{"url": "http://x", "waitForCompletion": true, "waitBeforeMonitor": 10}"""), tasks);

        tasks.Nodes.Select(n => n.Name).ShouldBe(["createWebhook", "waitBeforeMonitorWebhook", "monitorWebhook"]);
    }

    [Fact]
    public void A_webhook_needs_a_url_and_a_usable_status_configuration()
    {
        var definition = new WebhookStage();
        definition.Validate(new JsonObject(), "stages[6]").Single().ToString().ShouldBe("stages[6].url: required for a 'webhook' stage");

        var config = MizzenJson.ParseObject("""
            {"url": "ftp://x", "method": "FETCH", "waitForCompletion": true, "statusUrlResolution": "webhookResponse", "statusJsonPath": "$..state"}
            """);
        definition.Validate(config, "stages[0]").Select(p => p.Location).ShouldBe(
            ["stages[0].url", "stages[0].method", "stages[0].statusUrlJsonPath", "stages[0].statusJsonPath"]);
    }
}

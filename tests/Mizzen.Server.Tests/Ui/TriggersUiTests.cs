using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Ui;

/// <summary>
/// A pipeline's triggers page (what starts it, in words, and what each trigger last did) and the manual start form's artifacts,
/// in a real browser against a real server.
/// </summary>
public sealed class TriggersUiTests : IAsyncLifetime
{
    private const string Pipeline = """
        {"application":"shop","name":"ship","stages":[{"refId":"1","type":"wait","name":"Pause","waitTime":0}],
         "expectedArtifacts":[{"id":"image","displayName":"app image","matchArtifact":{"type":"docker/image","name":"registry.local/app"}}],
         "triggers":[
           {"type":"webhook","enabled":true,"source":"ci","payloadConstraints":{"branch":"^main$"}},
           {"type":"cron","enabled":false,"cronExpression":"0 0 3 * * ?"},
           {"type":"cron","enabled":true,"cronExpression":"0 30 4 ? * MON-FRI"}]}
        """;

    private RunningServer server = null!;
    private UiBrowser browser = null!;
    private string configId = "";

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
        browser = await UiBrowser.LaunchAsync();
        await server.CreateApplicationAsync("shop");
        (await server.PostJsonAsync("/pipelines", Pipeline)).EnsureSuccessStatusCode();
        configId = (await server.GetJsonAsync("/applications/shop/pipelineConfigs/ship"))["id"]!.GetValue<string>();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task The_triggers_page_says_what_starts_the_pipeline_and_why_each_trigger_did_or_did_not_fire()
    {
        (await server.PostJsonAsync("/webhooks/webhook/ci", """{"branch":"feature/x"}""")).EnsureSuccessStatusCode();
        var answer = await (await server.PostJsonAsync("/webhooks/webhook/ci", """{"branch":"main"}""")).Content.ReadAsStringAsync();
        var runId = JsonNode.Parse(answer)!["executions"]![0]!["executionId"]!.GetValue<string>();

        // The API: the same overview, with the trigger in words and the enabled cron's next run.
        var api = (await server.GetJsonAsync("/pipelines/shop/ship/triggers")).AsArray();
        api.Count.ShouldBe(3);
        api[0]!["description"]!.GetValue<string>().ShouldBe("POST /webhooks/webhook/ci when branch matches /^main$/");
        api[0]!["lastEvent"]!["result"]!.GetValue<string>().ShouldBe("started");
        api[1]!["enabled"]!.GetValue<bool>().ShouldBeFalse();
        api[1]!["nextRun"].ShouldBeNull();
        api[2]!["nextRun"]!.GetValue<long>().ShouldBeGreaterThan(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        var page = await browser.OpenAsync(server.Url);
        await page.GotoAsync("/ui/applications/shop/executions");
        await page.GetByRole(AriaRole.Link, new() { Name = "Triggers (3)" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/ui/pipelines/{configId}/triggers$"));
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Triggers of ship" });
        var webhook = table.Locator("tr[data-trigger='0']");
        await Assertions.Expect(webhook).ToHaveAttributeAsync("data-result", "started");
        await Assertions.Expect(webhook).ToContainTextAsync("POST /webhooks/webhook/ci when branch matches /^main$/");
        await Assertions.Expect(webhook.GetByRole(AriaRole.Link, new() { Name = $"run {runId}" })).ToHaveAttributeAsync("href", $"/ui/executions/{runId}");
        await Assertions.Expect(table.Locator("tr[data-trigger='1']")).ToContainTextAsync("off (\"enabled\": true is missing)");
        await Assertions.Expect(table.Locator("tr[data-trigger='2']")).ToContainTextAsync("next run");
        await UiBrowser.ScreenshotAsync(page, "triggers");

        // The next event is rejected by the constraint: the page says why.
        (await server.PostJsonAsync("/webhooks/webhook/ci", """{"branch":"feature/y"}""")).EnsureSuccessStatusCode();
        await page.ReloadAsync();
        await Assertions.Expect(webhook).ToHaveAttributeAsync("data-result", "skipped");
        await Assertions.Expect(webhook.Locator(".reason")).ToContainTextAsync("branch");
    }

    [Fact]
    public async Task A_manual_start_binds_the_artifact_given_in_the_form_and_names_one_that_does_not_match_next_to_it()
    {
        var page = await browser.OpenAsync(server.Url);
        await page.GotoAsync("/ui/applications/shop/executions");
        await Assertions.Expect(page.Locator("[data-live=true]")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "Start manual execution" }).ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Start ship" });
        var artifact = form.GetByRole(AriaRole.Group, new() { Name = "Artifact app image" });
        await Assertions.Expect(artifact.GetByLabel("Type")).ToHaveValueAsync("docker/image");
        await Assertions.Expect(artifact.GetByLabel("Name")).ToHaveValueAsync("registry.local/app");

        // A name the expected artifact does not match: the engine's message next to the artifact, nothing started.
        await artifact.GetByLabel("Name").FillAsync("registry.local/other");
        await artifact.GetByLabel("Version").FillAsync("1.4.2");
        await artifact.GetByLabel("Reference").FillAsync("registry.local/other:1.4.2");
        await form.GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true }).ClickAsync();
        await Assertions.Expect(artifact.Locator("[id$='-error']")).ToContainTextAsync("app image");
        (await server.GetJsonAsync("/applications/shop/pipelines")).AsArray().Count.ShouldBe(0);

        await artifact.GetByLabel("Name").FillAsync("registry.local/app");
        await artifact.GetByLabel("Reference").FillAsync("registry.local/app:1.4.2");
        await form.GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true }).ClickAsync();
        await Assertions.Expect(form).ToHaveCountAsync(0);

        var runs = (await server.GetJsonAsync("/applications/shop/pipelines")).AsArray();
        runs.Count.ShouldBe(1);
        var bound = runs[0]!["trigger"]!["resolvedExpectedArtifacts"]![0]!["boundArtifact"]!;
        bound["reference"]!.GetValue<string>().ShouldBe("registry.local/app:1.4.2");
        bound["version"]!.GetValue<string>().ShouldBe("1.4.2");
        runs[0]!["trigger"]!["type"]!.GetValue<string>().ShouldBe("manual");
    }
}

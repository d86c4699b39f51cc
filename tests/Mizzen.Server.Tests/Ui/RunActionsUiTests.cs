using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Ui;

/// <summary>
/// The run actions in a real browser against a real server: pause and resume, cancel, skip a wait, restart a stage and judge from a
/// row. Runs are held by a wait of an hour or by a webhook to a loopback server the test answers, so nothing depends on timing; every
/// step waits on what the page shows, and what the UI recorded is compared with what the REST API records for the same action.
/// </summary>
public sealed class RunActionsUiTests : IAsyncLifetime
{
    private const string Soak = """
        {"application":"ops","name":"soak","stages":[
          {"refId":"1","type":"wait","name":"Soak","waitTime":3600},
          {"refId":"2","requisiteStageRefIds":["1"],"type":"wait","name":"Done","waitTime":0}]}
        """;

    private const string Approval = """
        {"application":"ops","name":"approval","stages":[
          {"refId":"1","type":"manualJudgment","name":"Approve","instructions":"Promote the build?","judgmentInputs":[{"value":"promote"},{"value":"hold"}]}]}
        """;

    private RunningServer server = null!;
    private UiBrowser browser = null!;
    private WebhookGate gate = null!;

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
        browser = await UiBrowser.LaunchAsync();
        gate = await WebhookGate.StartAsync();
        await server.CreateApplicationAsync("ops");
        (await server.PostJsonAsync("/pipelines", Soak)).EnsureSuccessStatusCode();
        (await server.PostJsonAsync("/pipelines", Approval)).EnsureSuccessStatusCode();
        var call = new JsonObject
        {
            ["application"] = "ops",
            ["name"] = "call",
            ["stages"] = new JsonArray(new JsonObject { ["refId"] = "1", ["type"] = "webhook", ["name"] = "Call", ["url"] = gate.Url, ["method"] = "POST" }),
        };
        (await server.PostJsonAsync("/pipelines", call.ToJsonString())).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        await gate.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Pause_then_resume_from_the_board_changes_the_row_live_and_records_the_same_user_as_the_API()
    {
        var id = await StartAsync("soak");
        await server.WaitForAsync(id, e => Stage(e, "Soak")["status"]!.GetValue<string>() == "RUNNING");
        var page = await OpenBoardAsync();
        var row = page.Locator($".run[data-execution='{id}']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "RUNNING");

        await row.GetByRole(AriaRole.Button, new() { Name = "Pause", Exact = true }).ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "PAUSED");
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Pause", Exact = true })).ToHaveCountAsync(0);

        await row.GetByRole(AriaRole.Button, new() { Name = "Resume", Exact = true }).ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "RUNNING");
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Pause", Exact = true })).ToBeVisibleAsync();
        (await page.EvaluateAsync<bool>("() => window.mizzenNoReload === true")).ShouldBeTrue();

        // The same pause and resume through the REST API (no user header) on a second run record the same user.
        var other = await StartAsync("soak");
        await server.WaitForAsync(other, e => Stage(e, "Soak")["status"]!.GetValue<string>() == "RUNNING");
        (await server.SendAsync(HttpMethod.Put, $"/pipelines/{other}/pause")).Status.ShouldBe(202);
        (await server.SendAsync(HttpMethod.Put, $"/pipelines/{other}/resume")).Status.ShouldBe(202);
        var byUi = (await server.GetJsonAsync($"/pipelines/{id}"))["paused"]!;
        var byApi = (await server.GetJsonAsync($"/pipelines/{other}"))["paused"]!;
        byUi["pausedBy"]!.GetValue<string>().ShouldBe(byApi["pausedBy"]!.GetValue<string>());
        byUi["resumedBy"]!.GetValue<string>().ShouldBe(byApi["resumedBy"]!.GetValue<string>());
        byUi["pausedBy"]!.GetValue<string>().ShouldBe("anonymous");

        await page.GotoAsync($"/ui/executions/{id}");
        var facts = page.Locator("dl.facts").First;
        await Assertions.Expect(facts).ToContainTextAsync("Paused by");
        await Assertions.Expect(facts).ToContainTextAsync("Resumed by");
    }

    [Fact]
    public async Task Cancel_from_the_board_asks_first_says_what_happens_and_records_the_reason_and_user_like_the_API()
    {
        var id = await StartAsync("soak");
        var page = await OpenBoardAsync();
        var row = page.Locator($".run[data-execution='{id}']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "RUNNING");

        await row.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true }).ClickAsync();
        var confirm = row.GetByRole(AriaRole.Alertdialog, new() { Name = "Cancel this run?" });
        await Assertions.Expect(confirm).ToContainTextAsync("stages not yet started never run");
        await Assertions.Expect(confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel run" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape"); // the same as "Keep running"
        await Assertions.Expect(confirm).ToHaveCountAsync(0);
        (await server.GetJsonAsync($"/pipelines/{id}"))["status"]!.GetValue<string>().ShouldBe("RUNNING"); // "keep" did nothing

        await row.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true }).ClickAsync();
        await confirm.GetByLabel("Reason (optional)").FillAsync("wrong build");
        await UiBrowser.ScreenshotAsync(page, "executions-cancel");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "CANCELED");
        await Assertions.Expect(confirm).ToHaveCountAsync(0);

        var other = await StartAsync("soak");
        (await server.SendAsync(HttpMethod.Put, $"/pipelines/{other}/cancel?reason=wrong%20build")).Status.ShouldBe(202);
        var byUi = await server.GetJsonAsync($"/pipelines/{id}");
        var byApi = await server.WaitForAsync(other, e => e["status"]!.GetValue<string>() == "CANCELED");
        byUi["canceledBy"]!.GetValue<string>().ShouldBe(byApi["canceledBy"]!.GetValue<string>());
        byUi["cancellationReason"]!.GetValue<string>().ShouldBe(byApi["cancellationReason"]!.GetValue<string>());

        await page.GotoAsync($"/ui/executions/{id}");
        await Assertions.Expect(page.Locator("dl.facts").First).ToContainTextAsync("anonymous: wrong build");
    }

    [Fact]
    public async Task Skipping_a_long_wait_on_the_run_page_finishes_the_run_live()
    {
        var id = await StartAsync("soak");
        await server.WaitForAsync(id, e => Stage(e, "Soak")["status"]!.GetValue<string>() == "RUNNING");
        var page = await browser.OpenAsync(server.Url);
        await page.GotoAsync($"/ui/executions/{id}");
        await Assertions.Expect(page.Locator("[data-live=true]")).ToHaveCountAsync(1);
        var soak = page.Locator("details.stage[data-stage='Soak']");
        await Assertions.Expect(page.Locator("details.stage[data-stage='Done'] .stage-actions")).ToHaveCountAsync(0); // not started: nothing to do

        await soak.GetByRole(AriaRole.Button, new() { Name = "Skip remaining wait" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("SUCCEEDED");
        await Assertions.Expect(soak.GetByRole(AriaRole.Button, new() { Name = "Skip remaining wait" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel run" })).ToHaveCountAsync(0); // a finished run cannot be canceled
        await Assertions.Expect(soak.Locator("dt:text-is('Wait skipped by') + dd")).ToHaveTextAsync("anonymous");

        var done = await server.GetJsonAsync($"/pipelines/{id}");
        Stage(done, "Soak")["context"]!["lastModifiedBy"]!.GetValue<string>().ShouldBe("anonymous");
        Stage(done, "Soak")["context"]!["skipRemainingWait"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Restarting_a_failed_stage_after_confirming_runs_it_again_and_the_run_succeeds()
    {
        gate.Status = 400;
        var id = await StartAsync("call");
        await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() == "TERMINAL");
        var page = await browser.OpenAsync(server.Url);
        await page.GotoAsync($"/ui/executions/{id}");
        await Assertions.Expect(page.Locator("[data-live=true]")).ToHaveCountAsync(1);
        var call = page.Locator("details.stage[data-stage='Call']");

        gate.Status = 200;
        await call.GetByRole(AriaRole.Button, new() { Name = "Restart stage" }).ClickAsync();
        var confirm = call.GetByRole(AriaRole.Alertdialog, new() { Name = "Restart stage 'Call'?" });
        await Assertions.Expect(confirm).ToContainTextAsync("runs again from its first task");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Restart stage" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("SUCCEEDED");
        await Assertions.Expect(confirm).ToHaveCountAsync(0);
        gate.Calls.ShouldBe(2);
        var done = await server.GetJsonAsync($"/pipelines/{id}");
        Stage(done, "Call")["context"]!["restartDetails"]!["restartedBy"]!.GetValue<string>().ShouldBe("anonymous");
        await Assertions.Expect(call.Locator("dt:text-is('Restarted by') + dd")).ToContainTextAsync("anonymous at");
    }

    [Fact]
    public async Task A_restart_the_engine_refuses_because_the_stage_started_meanwhile_shows_the_engine_message()
    {
        gate.Status = 400;
        var id = await StartAsync("call");
        var failed = await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() == "TERMINAL");
        var page = await browser.OpenAsync(server.Url);
        await page.GotoAsync($"/ui/executions/{id}");
        await Assertions.Expect(page.Locator("[data-live=true]")).ToHaveCountAsync(1);
        var call = page.Locator("details.stage[data-stage='Call']");
        await call.GetByRole(AriaRole.Button, new() { Name = "Restart stage" }).ClickAsync();
        var confirm = call.GetByRole(AriaRole.Alertdialog, new() { Name = "Restart stage 'Call'?" });
        await Assertions.Expect(confirm).ToBeVisibleAsync();

        // Someone else restarts it through the API while the question is open; the call is held, so the stage stays RUNNING.
        gate.Status = 200;
        gate.Hold();
        var stageId = Stage(failed, "Call")["id"]!.GetValue<string>();
        (await server.SendAsync(HttpMethod.Put, $"/pipelines/{id}/stages/{stageId}/restart")).Status.ShouldBe(202);
        await Assertions.Expect(call.Locator("summary .badge").First).ToHaveTextAsync("RUNNING");
        await Assertions.Expect(call.GetByRole(AriaRole.Button, new() { Name = "Restart stage" })).ToHaveCountAsync(1); // only the question's button

        await confirm.GetByRole(AriaRole.Button, new() { Name = "Restart stage" }).ClickAsync();
        await Assertions.Expect(confirm.GetByRole(AriaRole.Alert)).ToHaveTextAsync("stage 'Call' is RUNNING; only a finished stage can be restarted");
        await UiBrowser.ScreenshotAsync(page, "execution-restart-refused");

        gate.Release();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("SUCCEEDED");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Keep as is" }).ClickAsync();
        await Assertions.Expect(confirm).ToHaveCountAsync(0);
        gate.Calls.ShouldBe(2); // the refused restart started nothing
    }

    [Fact]
    public async Task A_judgment_from_the_board_row_with_an_input_continues_the_run_and_records_the_same_judge_as_the_API()
    {
        var id = await StartAsync("approval");
        await server.WaitForAsync(id, e => Stage(e, "Approve")["status"]!.GetValue<string>() == "RUNNING");
        var page = await OpenBoardAsync();
        var row = page.Locator($".run[data-execution='{id}']");

        await row.GetByRole(AriaRole.Button, new() { Name = "Judge 'Approve'" }).ClickAsync();
        var judgment = row.GetByRole(AriaRole.Region, new() { Name = "Manual judgment: Approve" });
        await Assertions.Expect(judgment).ToContainTextAsync("Promote the build?");
        await judgment.GetByLabel("Input").SelectOptionAsync("hold");
        await UiBrowser.ScreenshotAsync(page, "executions-judge");
        await judgment.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "SUCCEEDED");
        await Assertions.Expect(judgment).ToHaveCountAsync(0);
        (await page.EvaluateAsync<bool>("() => window.mizzenNoReload === true")).ShouldBeTrue();

        var other = await StartAsync("approval");
        var waiting = await server.WaitForAsync(other, e => Stage(e, "Approve")["status"]!.GetValue<string>() == "RUNNING");
        var (status, body) = await server.SendAsync(HttpMethod.Patch, $"/pipelines/{other}/stages/{Stage(waiting, "Approve")["id"]!.GetValue<string>()}",
            new JsonObject { ["judgmentStatus"] = "continue", ["judgmentInput"] = "hold" });
        status.ShouldBe(200, body?.ToJsonString());
        var byUi = Stage(await server.GetJsonAsync($"/pipelines/{id}"), "Approve");
        var byApi = Stage(await server.WaitForAsync(other, e => e["status"]!.GetValue<string>() == "SUCCEEDED"), "Approve");
        byUi["context"]!["lastModifiedBy"]!.GetValue<string>().ShouldBe(byApi["context"]!["lastModifiedBy"]!.GetValue<string>());
        byUi["outputs"]!["judgedBy"]!.GetValue<string>().ShouldBe(byApi["outputs"]!["judgedBy"]!.GetValue<string>());
        byUi["outputs"]!["judgmentInput"]!.GetValue<string>().ShouldBe("hold");
    }

    private async Task<IPage> OpenBoardAsync()
    {
        var page = await browser.OpenAsync(server.Url);
        await page.GotoAsync("/ui/applications/ops/executions");
        await Assertions.Expect(page.Locator("[data-live=true]")).ToHaveCountAsync(1);
        await page.EvaluateAsync("() => window.mizzenNoReload = true"); // gone if the page were loaded again
        return page;
    }

    private async Task<string> StartAsync(string pipeline)
    {
        var started = await server.PostJsonAsync($"/pipelines/ops/{pipeline}", "{}");
        started.EnsureSuccessStatusCode();
        return JsonNode.Parse(await started.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>()["/pipelines/".Length..];
    }

    private static JsonNode Stage(JsonNode execution, string name) =>
        execution["stages"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == name)!;
}

using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Ui;

/// <summary>The web UI in a real browser against a real server: applications, the live executions view, the execution page and its judgment banner.</summary>
public sealed class UiTests : IAsyncLifetime
{
    private const string Gated = """
        {"application":"shop","name":"release","parameterConfig":[
           {"name":"version","label":"Version","required":true,"description":"what to ship"},
           {"name":"region","hasOptions":true,"options":[{"value":"eu"},{"value":"us"}],"default":"eu"}],
         "stages":[
          {"refId":"1","type":"wait","name":"Prepare","waitTime":0},
          {"refId":"2","requisiteStageRefIds":["1"],"type":"manualJudgment","name":"Approve","instructions":"Ship it to prod?","judgmentInputs":[{"value":"ship it"},{"value":"hold"}]},
          {"refId":"3","requisiteStageRefIds":["1"],"type":"wait","name":"Smoke test","waitTime":0},
          {"refId":"4","requisiteStageRefIds":["2","3"],"type":"wait","name":"Finish","waitTime":0}]}
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private RunningServer server = null!;
    private UiBrowser browser = null!;

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
        browser = await UiBrowser.LaunchAsync();
        await server.CreateApplicationAsync("shop");
        (await server.PostJsonAsync("/pipelines", Gated)).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Applications_page_lists_searches_and_creates_an_application_with_the_API_message_next_to_a_bad_name()
    {
        await server.CreateApplicationAsync("billing");
        var page = await browser.OpenAsync(server.Url);

        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "shop", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "billing", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status, new() { Name = "Mizzen status" })).ToContainTextAsync("UP");
        await UiBrowser.ScreenshotAsync(page, "applications");

        await page.GetByLabel("Search applications").FillAsync("bill");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("q=bill$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "billing", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "shop", Exact = true })).ToHaveCountAsync(0);

        await page.GetByLabel("Name").FillAsync("not valid!");
        await page.GetByLabel("Owner email").FillAsync("web@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page.Locator("#name-error")).ToContainTextAsync("'not valid!' is not a valid application name");
        await Assertions.Expect(page.GetByLabel("Owner email")).ToHaveValueAsync("web@example.com"); // nothing lost on a failed save

        await page.GetByLabel("Name").FillAsync("web-store");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/ui/applications/web-store$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("web-store");
        var stored = await server.GetJsonAsync("/applications/web-store");
        stored["email"]!.GetValue<string>().ShouldBe("web@example.com");
        stored["lastModifiedBy"]!.GetValue<string>().ShouldBe("anonymous");
    }

    [Fact]
    public async Task A_run_started_through_the_API_appears_on_the_open_executions_page_and_updates_live_without_a_reload()
    {
        var page = await browser.OpenAsync(server.Url);
        await page.GotoAsync("/ui/applications/shop/executions");
        await Assertions.Expect(page.Locator("[data-live=true]")).ToHaveCountAsync(1);
        await page.EvaluateAsync("() => window.mizzenNoReload = true"); // gone if the page were loaded again

        var id = await StartAsync(new JsonObject { ["parameters"] = new JsonObject { ["version"] = "v2" } });
        var row = page.Locator($".run[data-execution='{id}']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "RUNNING");
        await Assertions.Expect(row.Locator(".bars [data-status]")).ToHaveCountAsync(4);
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Judge 'Approve'" })).ToBeVisibleAsync();
        await UiBrowser.ScreenshotAsync(page, "executions");

        await JudgeThroughApiAsync(id, "continue", "ship it");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "SUCCEEDED");
        await Assertions.Expect(row.Locator(".bars [data-status=SUCCEEDED]")).ToHaveCountAsync(4);
        (await page.EvaluateAsync<bool>("() => window.mizzenNoReload === true")).ShouldBeTrue();
    }

    [Fact]
    public async Task The_start_form_is_built_from_parameterConfig_and_names_a_missing_required_parameter_next_to_its_field()
    {
        var page = await browser.OpenAsync(server.Url);
        await page.GotoAsync("/ui/applications/shop/executions");
        await Assertions.Expect(page.Locator("[data-live=true]")).ToHaveCountAsync(1);

        await page.GetByRole(AriaRole.Button, new() { Name = "Start manual execution" }).ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Start release" });
        await Assertions.Expect(form.GetByLabel("region")).ToHaveValueAsync("eu");
        await form.GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true }).ClickAsync();
        await Assertions.Expect(form.Locator("[id$='-version-error']")).ToContainTextAsync("required parameter 'version'");

        await form.GetByLabel("Version (required)").FillAsync("v7");
        await form.GetByLabel("region").SelectOptionAsync("us");
        await form.GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".run[data-status=RUNNING]")).ToHaveCountAsync(1);

        var runs = (await server.GetJsonAsync("/applications/shop/pipelines")).AsArray();
        runs.Count.ShouldBe(1);
        runs[0]!["trigger"]!["parameters"]!["version"]!.GetValue<string>().ShouldBe("v7");
        runs[0]!["trigger"]!["parameters"]!["region"]!.GetValue<string>().ShouldBe("us");
    }

    [Fact]
    public async Task The_execution_page_draws_the_stage_graph_and_a_judgment_from_its_banner_continues_the_run()
    {
        var id = await StartAsync(new JsonObject { ["parameters"] = new JsonObject { ["version"] = "v2" } });
        await server.WaitForAsync(id, e => e["stages"]!.AsArray().Any(s => s!["name"]!.GetValue<string>() == "Approve" && s["status"]!.GetValue<string>() == "RUNNING"));
        var page = await browser.OpenAsync(server.Url);

        await page.GotoAsync($"/ui/executions/{id}");
        await Assertions.Expect(page.Locator("[data-live=true]")).ToHaveCountAsync(1);
        var graph = page.Locator("svg[data-testid=stage-graph]");
        await Assertions.Expect(graph.Locator("a[data-stage]")).ToHaveCountAsync(4);
        await Assertions.Expect(graph.Locator("path.edge")).ToHaveCountAsync(4);
        await Assertions.Expect(graph.Locator("a[data-stage='Approve']")).ToHaveAttributeAsync("data-status", "RUNNING");
        // Parallel branches share a column: Approve and Smoke test are drawn one above the other.
        var approve = await graph.Locator("a[data-stage='Approve'] rect").GetAttributeAsync("x");
        var smoke = await graph.Locator("a[data-stage='Smoke test'] rect").GetAttributeAsync("x");
        approve.ShouldBe(smoke);

        var banner = page.GetByRole(AriaRole.Region, new() { Name = "Manual judgment: Approve" });
        await Assertions.Expect(banner).ToContainTextAsync("Ship it to prod?");
        await banner.GetByLabel("Input").SelectOptionAsync("hold");
        await UiBrowser.ScreenshotAsync(page, "execution");
        await banner.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("SUCCEEDED");
        await Assertions.Expect(banner).ToHaveCountAsync(0);
        await Assertions.Expect(graph.Locator("a[data-stage='Finish']")).ToHaveAttributeAsync("data-status", "SUCCEEDED");
        var done = await server.GetJsonAsync($"/pipelines/{id}");
        var judged = done["stages"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "Approve")!;
        judged["outputs"]!["judgedBy"]!.GetValue<string>().ShouldBe("anonymous");
        judged["outputs"]!["judgmentInput"]!.GetValue<string>().ShouldBe("hold");
        await Assertions.Expect(page.Locator("#stage-" + judged["id"]!.GetValue<string>())).ToContainTextAsync("Judged by");
        await UiBrowser.ScreenshotAsync(page, "execution-done");
    }

    [Fact]
    public async Task A_missing_page_application_or_run_is_a_404_page_that_names_what_was_not_found()
    {
        var page = await browser.OpenAsync(server.Url);

        var response = await page.GotoAsync("/ui/executions/01NOSUCHRUN");
        response!.Status.ShouldBe(404);
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Mizzen has no execution '01NOSUCHRUN'");

        response = await page.GotoAsync("/ui/applications/ghost");
        response!.Status.ShouldBe(404);
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Mizzen has no application 'ghost'");

        response = await page.GotoAsync("/no/such/page");
        response!.Status.ShouldBe(404);
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Mizzen has no page at '/no/such/page'");
        await UiBrowser.ScreenshotAsync(page, "not-found");
    }

    private async Task<string> StartAsync(JsonObject trigger)
    {
        var started = await server.PostJsonAsync("/pipelines/shop/release", trigger.ToJsonString());
        started.EnsureSuccessStatusCode();
        var reference = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>();
        return reference["/pipelines/".Length..];
    }

    private async Task JudgeThroughApiAsync(string id, string decision, string input)
    {
        var execution = await server.WaitForAsync(id, e => e["stages"]!.AsArray().Any(s => s!["name"]!.GetValue<string>() == "Approve" && s["status"]!.GetValue<string>() == "RUNNING"));
        var stageId = execution["stages"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "Approve")!["id"]!.GetValue<string>();
        var (status, body) = await server.SendAsync(HttpMethod.Patch, $"/pipelines/{id}/stages/{stageId}", new JsonObject { ["judgmentStatus"] = decision, ["judgmentInput"] = input });
        status.ShouldBe(200, body?.ToJsonString());
    }
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Ui;

/// <summary>The pipeline config editor in a real browser: validation as you type with a jump to the line, a failed save that keeps the text, revisions, diff and restore.</summary>
public sealed class PipelineConfigUiTests : IAsyncLifetime
{
    private const string Release = """
        {"application":"shop","name":"release","stages":[
          {"refId":"1","type":"wait","name":"Prepare","waitTime":0},
          {"refId":"2","requisiteStageRefIds":["1"],"type":"wait","name":"Finish","waitTime":0}]}
        """;

    private RunningServer server = null!;
    private UiBrowser browser = null!;

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
        browser = await UiBrowser.LaunchAsync();
        await server.CreateApplicationAsync("shop");
        (await server.PostJsonAsync("/pipelines", Release)).EnsureSuccessStatusCode();
        var stored = (await server.GetJsonAsync("/applications/shop/pipelineConfigs/release")).AsObject();
        stored["stages"]![1]!["name"] = "Finish up";
        (await server.PostJsonAsync("/pipelines", stored.ToJsonString())).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task The_editor_lists_problems_as_you_type_jumps_to_their_line_keeps_the_text_on_a_failed_save_and_saves_diffs_and_restores_revisions()
    {
        var id = (await server.GetJsonAsync("/applications/shop/pipelineConfigs/release"))["id"]!.GetValue<string>();
        var revisions = (await server.GetJsonAsync($"/pipelineConfigs/{id}/history")).AsArray();
        revisions.Count.ShouldBe(2);
        var first = revisions[1]!["revision"]!.GetValue<int>();
        var page = await browser.OpenAsync(server.Url);

        await page.GotoAsync("/ui/applications/shop");
        await page.GetByRole(AriaRole.Link, new() { Name = "release", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/ui/pipelines/{id}/config$"));
        await Assertions.Expect(page.Locator("[data-live=true]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#problems")).ToContainTextAsync("No problems");
        var diff = page.GetByLabel("Diff");
        await Assertions.Expect(diff.Locator(".removed")).ToContainTextAsync("\"name\": \"Finish\"");
        await Assertions.Expect(diff.Locator(".added")).ToContainTextAsync("\"name\": \"Finish up\"");

        var editor = page.GetByLabel("Pipeline config JSON");
        var good = await editor.InputValueAsync();
        var bad = good.Replace("\"requisiteStageRefIds\": [\n        \"1\"\n      ]", "\"requisiteStageRefIds\": [\n        \"9\"\n      ]", StringComparison.Ordinal);
        bad.ShouldNotBe(good);
        await editor.FillAsync(bad);
        var problem = page.Locator("ul.problems li.error").First;
        await Assertions.Expect(problem).ToContainTextAsync("stages[1].requisiteStageRefIds");
        var expectedLine = bad[..bad.IndexOf("\"9\"", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        await UiBrowser.ScreenshotAsync(page, "pipeline-config");

        await problem.GetByRole(AriaRole.Button).ClickAsync();
        // The jump is a round trip (the click goes to the server, which calls back into the page): wait for the caret to arrive
        // rather than reading it at once, when it may still sit where the fill left it.
        await page.WaitForFunctionAsync(
            "([lo, hi]) => { const a = document.getElementById('config-text'); const l = a.value.slice(0, a.selectionStart).split('\\n').length; return document.activeElement === a && l >= lo && l <= hi; }",
            new[] { expectedLine - 2, expectedLine });
        var caretLine = await page.EvaluateAsync<int>("() => { const a = document.getElementById('config-text'); return a.value.slice(0, a.selectionStart).split('\\n').length; }");
        caretLine.ShouldBeInRange(expectedLine - 2, expectedLine); // the line of the path's value: the list, or the bad entry inside it
        (await page.EvaluateAsync<string>("() => document.activeElement.id")).ShouldBe("config-text");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("#save-error")).ToContainTextAsync("stages[1].requisiteStageRefIds");
        await Assertions.Expect(editor).ToHaveValueAsync(bad); // nothing lost on a failed save
        (await server.GetJsonAsync($"/pipelineConfigs/{id}/history")).AsArray().Count.ShouldBe(2);

        await editor.FillAsync(good.Replace("\"Prepare\"", "\"Get ready\"", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#problems")).ToContainTextAsync("No problems");
        var preview = page.GetByRole(AriaRole.Region, new() { Name = "Stage graph preview" });
        await Assertions.Expect(preview.Locator("[data-stage]")).ToHaveCountAsync(2); // the graph follows the text as it is typed
        await Assertions.Expect(preview.Locator("[data-stage='Get ready']")).ToHaveCountAsync(1);
        await Assertions.Expect(preview.Locator("path.edge")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator(".saved")).ToContainTextAsync("Saved as revision");
        (await server.GetJsonAsync("/applications/shop/pipelineConfigs/release"))["stages"]![0]!["name"]!.GetValue<string>().ShouldBe("Get ready");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Revisions" }).Locator("tbody tr")).ToHaveCountAsync(3);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Restore revision {first}" }).ClickAsync();
        await Assertions.Expect(page.Locator(".saved")).ToContainTextAsync($"Revision {first} restored");
        var restored = (await server.GetJsonAsync("/applications/shop/pipelineConfigs/release")).AsObject();
        restored["stages"]![0]!["name"]!.GetValue<string>().ShouldBe("Prepare");
        restored["stages"]![1]!["name"]!.GetValue<string>().ShouldBe("Finish");
        (await server.GetJsonAsync($"/pipelineConfigs/{id}/history")).AsArray().Count.ShouldBe(4);
        await UiBrowser.ScreenshotAsync(page, "pipeline-config-history");
    }
}

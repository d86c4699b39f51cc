using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Ui;

/// <summary>
/// The executions view applies each change to the run that changed (it re-reads that run only): a new run enters its pipeline's
/// row and the oldest shown falls out, and a run that leaves the status filter leaves the row — all without a reload.
/// </summary>
public sealed class ExecutionsBoardLiveUiTests : IAsyncLifetime
{
    private RunningServer server = null!;
    private UiBrowser browser = null!;

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
        browser = await UiBrowser.LaunchAsync();
        await server.CreateApplicationAsync("shop");
        (await server.PostJsonAsync("/pipelines", """{"application":"shop","name":"quick","stages":[{"refId":"1","type":"wait","name":"w","waitTime":0}]}""")).EnsureSuccessStatusCode();
        (await server.PostJsonAsync("/pipelines", """{"application":"shop","name":"hold","stages":[{"refId":"1","type":"wait","name":"w","waitTime":3600}]}""")).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task A_sixth_run_enters_its_pipeline_row_live_and_pushes_the_oldest_of_the_five_out()
    {
        var page = await browser.OpenAsync(server.Url);
        await page.GotoAsync("/ui/applications/shop/executions");
        await Assertions.Expect(page.Locator("[data-live=true]")).ToHaveCountAsync(1);
        await page.EvaluateAsync("() => window.mizzenNoReload = true");
        var quick = page.Locator("section[data-pipeline='quick']");

        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var id = await StartAsync("quick");
            await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() == "SUCCEEDED");
            await Assertions.Expect(quick.Locator($".run[data-execution='{id}']")).ToHaveAttributeAsync("data-status", "SUCCEEDED");
            ids.Add(id);
        }

        await Assertions.Expect(quick.Locator(".run")).ToHaveCountAsync(5);
        await Assertions.Expect(quick.Locator($".run[data-execution='{ids[0]}']")).ToHaveCountAsync(0);
        (await quick.Locator(".run").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.execution)")).ShouldBe([.. ids[1..].AsEnumerable().Reverse()]);
        await Assertions.Expect(page.Locator("section[data-pipeline='hold'] .run")).ToHaveCountAsync(0);
        (await page.EvaluateAsync<bool>("() => window.mizzenNoReload === true")).ShouldBeTrue();
    }

    [Fact]
    public async Task With_a_status_filter_a_new_matching_run_appears_and_leaves_when_its_status_no_longer_matches()
    {
        var done = await StartAsync("quick");
        await server.WaitForAsync(done, e => e["status"]!.GetValue<string>() == "SUCCEEDED");
        var page = await browser.OpenAsync(server.Url);
        await page.GotoAsync("/ui/applications/shop/executions");
        await Assertions.Expect(page.Locator("[data-live=true]")).ToHaveCountAsync(1);
        await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("RUNNING");
        var hold = page.Locator("section[data-pipeline='hold']");
        await Assertions.Expect(hold).ToContainTextAsync("No runs with status RUNNING");
        await Assertions.Expect(page.Locator($".run[data-execution='{done}']")).ToHaveCountAsync(0);
        await page.EvaluateAsync("() => window.mizzenNoReload = true");

        var id = await StartAsync("hold");
        var row = hold.Locator($".run[data-execution='{id}']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "RUNNING");
        (await server.Http.PutAsync(new Uri($"/pipelines/{id}/cancel", UriKind.Relative), null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        await Assertions.Expect(row).ToHaveCountAsync(0);
        await Assertions.Expect(hold).ToContainTextAsync("No runs with status RUNNING");
        (await page.EvaluateAsync<bool>("() => window.mizzenNoReload === true")).ShouldBeTrue();
    }

    private async Task<string> StartAsync(string pipeline)
    {
        var started = await server.PostJsonAsync($"/pipelines/shop/{pipeline}", "{}");
        started.EnsureSuccessStatusCode();
        return JsonNode.Parse(await started.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>()["/pipelines/".Length..];
    }
}

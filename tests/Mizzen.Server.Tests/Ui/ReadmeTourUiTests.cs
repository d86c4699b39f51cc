using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Ui;

/// <summary>
/// README's "The tour in the browser", click for click, so the README cannot promise what the UI does not do: a real <c>--demo</c> server
/// (real instances, real load balancers on loopback) driven only through the browser — deploy v2 and judge it in the run's banner, see prod
/// serve v2, roll prod back from the clusters page, read an instance's logs, and run the v3 canary to its failure and its report.
/// Real time: the canary judges a real one-minute interval.
/// </summary>
public sealed partial class ReadmeTourUiTests : IAsyncLifetime
{
    /// <summary>A step that waits on the engine and real processes (deploys with health checks, a smoke test).</summary>
    private const float Deploying = 180_000;

    /// <summary>The canary: baseline and canary deployed, one real one-minute interval judged, both removed.</summary>
    private const float Canarying = 300_000;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private RunningServer server = null!;
    private UiBrowser browser = null!;

    public async Task InitializeAsync()
    {
        var bundles = await DemoBundles.FolderAsync();
        server = await RunningServer.StartAsync(demo: true, [("staging", "24700-24799"), ("prod", "24800-24899")],
            data => DemoBundles.CopyInto(bundles, data));
        browser = await UiBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task The_README_tour_in_the_browser_deploys_v2_through_a_judgment_rolls_prod_back_and_shows_why_the_v3_canary_failed()
    {
        // Where the tour starts: "Mizzen demo is ready." and prod answers v1 (the demo's first deploy, not part of the tour).
        using var prod = new DemoProd(server, Patience);
        await prod.AnswersAsync(await prod.UrlAsync(), "v1");
        var page = await browser.OpenAsync(server.Url);

        // Open http://127.0.0.1:8084/, the application demo, "Pipelines and runs"; start deploy with Release v2.
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "demo", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Pipelines and runs" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ui/applications/demo/executions$"));
        await StartAsync(page, "deploy", "v2");

        // Open the run; when the judgment banner asks "Promote v2 to prod?", Continue.
        await OpenLatestRunAsync(page, "deploy");
        var banner = page.GetByRole(AriaRole.Region, new() { Name = "Manual judgment: Promote to prod?" });
        await Assertions.Expect(banner).ToContainTextAsync("Promote v2 to prod?", new() { Timeout = Deploying });
        await UiBrowser.ScreenshotAsync(page, "tour-judgment");
        await banner.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(Badge(page)).ToHaveTextAsync("SUCCEEDED", new() { Timeout = Deploying });
        await Assertions.Expect(banner).ToHaveCountAsync(0);

        // demo → Clusters: in prod the v2 server group is enabled and takes all of demo-prod-lb's traffic; its URL answers v2.
        var clusters = await OpenClustersAsync(page);
        var v2 = ServerGroupOf(page, clusters, "v2");
        await Assertions.Expect(v2).ToContainTextAsync("enabled");
        await Assertions.Expect(v2.Locator(".instance.hs-Up")).ToHaveCountAsync(2);
        var v2Name = (await v2.GetAttributeAsync("data-server-group"))!;
        var balancer = clusters.GetByRole(AriaRole.Table, new() { Name = "Load balancer demo-prod-lb" });
        await Assertions.Expect(balancer.Locator($"tr[data-target='{v2Name}']")).ToContainTextAsync("100%");
        var prodUrl = (await balancer.Locator("caption a").GetAttributeAsync("href"))!;
        await UiBrowser.ScreenshotAsync(page, "tour-clusters-v2");
        await prod.AnswersAsync(prodUrl, "v2");

        // "Rollback…" on cluster demo-prod, confirm "Roll back": the run succeeds and prod serves v1 again.
        await clusters.GetByRole(AriaRole.Link, new() { Name = "Rollback…" }).ClickAsync();
        await Assertions.Expect(page.Locator("#what")).ToContainTextAsync($"goes back to demo-prod-v000 (v1)");
        await Assertions.Expect(page.Locator("#what")).ToContainTextAsync($"then {v2Name} (v2) is disabled");
        await UiBrowser.ScreenshotAsync(page, "tour-rollback");
        await page.GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ui/executions/[0-9A-Z]+$"));
        await Assertions.Expect(Badge(page)).ToHaveTextAsync("SUCCEEDED", new() { Timeout = Deploying });
        clusters = await OpenClustersAsync(page);
        var v1 = ServerGroupOf(page, clusters, "v1");
        await Assertions.Expect(v1).ToContainTextAsync("enabled");
        await Assertions.Expect(ServerGroupOf(page, clusters, "v2")).ToContainTextAsync("disabled");
        await prod.AnswersAsync(prodUrl, "v1");

        // An instance's logs: click one of v1's instances.
        await v1.Locator(".instance.hs-Up").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ui/instances/prod/[^/]+/logs\\?stream=stdout$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("demo-service v1 (");

        // demo → "Pipelines and runs": start canary with Release v3; open the run; it ends TERMINAL (by design).
        await page.Locator(".crumbs").GetByRole(AriaRole.Link, new() { Name = "demo", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Pipelines and runs" }).ClickAsync();
        await StartAsync(page, "canary", "v3");
        await OpenLatestRunAsync(page, "canary");
        await Assertions.Expect(Badge(page)).ToHaveTextAsync("TERMINAL", new() { Timeout = Canarying });
        await UiBrowser.ScreenshotAsync(page, "tour-canary-run");
        await prod.AnswersAsync(prodUrl, "v1"); // prod keeps the release it had

        // "Canary report": why it failed, in words, with the chart.
        await page.GetByRole(AriaRole.Link, new() { Name = "Canary report" }).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ui/canary/[0-9A-Z]+-[^/]+$"));
        // The address changes before the new page is in (enhanced navigation): wait for the report's own table first.
        var intervals = page.GetByRole(AriaRole.Table, new() { Name = "Intervals" });
        await Assertions.Expect(intervals.Locator("tbody tr")).ToHaveCountAsync(1); // it fails at its first interval
        await Assertions.Expect(page.Locator("dl.facts").First).ToContainTextAsync("error_rate (critical, High)");
        await Assertions.Expect(intervals.Locator("tbody tr")).ToContainTextAsync("Fail");
        var errors = page.GetByRole(AriaRole.Article, new() { Name = "Metric error_rate" });
        await Assertions.Expect(errors.Locator("h3")).ToContainTextAsync("High (critical)");
        await Assertions.Expect(errors.Locator(".reason")).ToContainTextAsync(new Regex("excludes the tolerance band .*; critical metric: this fails the whole canary$"));
        var chart = errors.Locator("svg[role=img]");
        await Assertions.Expect(chart).ToHaveAttributeAsync("aria-label", new Regex("^error_rate: control against experiment, analysis window "));
        await Assertions.Expect(chart.Locator("rect.window")).ToHaveCountAsync(1);
        await Assertions.Expect(chart.Locator("polyline.control").First).ToHaveAttributeAsync("points", DataPoints());
        await Assertions.Expect(chart.Locator("polyline.experiment").First).ToHaveAttributeAsync("points", DataPoints());
        await errors.ScrollIntoViewIfNeededAsync();
        await UiBrowser.ScreenshotAsync(page, "tour-canary-report");
    }

    /// <summary>At least two "x,y" points of a chart line.</summary>
    [GeneratedRegex(@"^\d+(\.\d)?,\d+(\.\d)?( \d+(\.\d)?,\d+(\.\d)?)+$")]
    private static partial Regex DataPoints();

    /// <summary>The run's status badge in the execution page's heading.</summary>
    private static ILocator Badge(IPage page) => page.GetByRole(AriaRole.Heading, new() { Level = 1 }).Locator(".badge");

    /// <summary>On the executions view: "Start manual execution" of <paramref name="pipeline"/>, Release = <paramref name="version"/>, "Start".</summary>
    private static async Task StartAsync(IPage page, string pipeline, string version)
    {
        await Assertions.Expect(page.Locator("[data-live=true]")).ToHaveCountAsync(1);
        var section = page.GetByRole(AriaRole.Region, new() { Name = $"Pipeline {pipeline}", Exact = true });
        await section.GetByRole(AriaRole.Button, new() { Name = "Start manual execution" }).ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = $"Start {pipeline}", Exact = true });
        await form.GetByLabel("Release (required)").SelectOptionAsync(version);
        if (pipeline == "deploy")
        {
            await UiBrowser.ScreenshotAsync(page, "tour-start");
        }

        await form.GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true }).ClickAsync();
        await Assertions.Expect(form).ToHaveCountAsync(0);
    }

    /// <summary>Opens the newest run of <paramref name="pipeline"/> from the executions view (the run's time links to its page).</summary>
    private static async Task OpenLatestRunAsync(IPage page, string pipeline)
    {
        var run = page.GetByRole(AriaRole.Region, new() { Name = $"Pipeline {pipeline}", Exact = true }).Locator(".run").First;
        await run.Locator("a[href^='/ui/executions/']").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ui/executions/[0-9A-Z]+$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(pipeline);
    }

    /// <summary>From a page with breadcrumbs: the application demo, then "Clusters"; the cluster demo-prod.</summary>
    private static async Task<ILocator> OpenClustersAsync(IPage page)
    {
        await page.Locator(".crumbs").GetByRole(AriaRole.Link, new() { Name = "demo", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Clusters", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ui/applications/demo/clusters$"));
        return page.GetByRole(AriaRole.Region, new() { Name = "Cluster demo-prod in prod", Exact = true });
    }

    /// <summary>The row of the server group in <paramref name="cluster"/> that runs <paramref name="version"/>.</summary>
    private static ILocator ServerGroupOf(IPage page, ILocator cluster, string version) =>
        cluster.Locator("tr[data-server-group]").Filter(new() { Has = page.Locator("td strong", new() { HasTextRegex = new Regex($"^{version}$") }) });
}

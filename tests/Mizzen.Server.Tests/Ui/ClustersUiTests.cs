using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Mizzen.Server.Tests.Clusters;

namespace Mizzen.Server.Tests.Ui;

/// <summary>
/// The clusters view in a real browser against the real instances of <see cref="ShopCluster"/>: server groups with their artifact, capacity,
/// health-coloured instances and routed shares; an instance's logs; an action's confirmation naming the traffic guard, run as an orchestration.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class ClustersUiTests(ShopCluster shop) : IAsyncLifetime
{
    private UiBrowser browser = null!;

    public async Task InitializeAsync() => browser = await UiBrowser.LaunchAsync();

    public async Task DisposeAsync() => await browser.DisposeAsync();

    [Fact]
    public async Task The_clusters_view_shows_each_server_group_with_its_artifact_capacity_healthy_instances_and_routed_share_and_links_to_logs()
    {
        // A second cluster behind shop-lb: each cluster's table lists only its own targets, the load balancer's page all of them.
        await shop.DeployAsync("edge", "v1", instances: 1);
        var cluster = await shop.Server.GetJsonAsync("/applications/shop/clusters/local/shop-web");
        var serving = cluster["serverGroups"]!.AsArray().First(g => !g!["isDisabled"]!.GetValue<bool>() && g["instanceCounts"]!["up"]!.GetValue<int>() > 0)!;
        var name = serving["name"]!.GetValue<string>();
        var up = serving["instanceCounts"]!["up"]!.GetValue<int>();
        var routed = cluster["loadBalancers"]!.AsArray().Single()!["targets"]!.AsArray().Single(t => t!["serverGroup"]!.GetValue<string>() == name)!["percent"]!.GetValue<double>();
        var page = await browser.OpenAsync(shop.Server.Url);

        await page.GotoAsync("/ui/applications/shop");
        await page.GetByRole(AriaRole.Link, new() { Name = "Clusters", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ui/applications/shop/clusters$"));
        var row = page.Locator($"tr[data-server-group='{name}']");
        await Assertions.Expect(row).ToContainTextAsync("enabled");
        await Assertions.Expect(row).ToContainTextAsync(serving["artifact"]!["version"]!.GetValue<string>());
        await Assertions.Expect(row).ToContainTextAsync($"{serving["capacity"]!["min"]} / {serving["capacity"]!["desired"]} / {serving["capacity"]!["max"]}");
        await Assertions.Expect(row.Locator(".instance.hs-Up")).ToHaveCountAsync(up);
        // Scoped to the cluster: another test on this shared server may put a second cluster behind the same load balancer.
        var target = page.GetByRole(AriaRole.Region, new() { Name = "Cluster shop-web in local", Exact = true })
            .GetByRole(AriaRole.Table, new() { Name = "Load balancer shop-lb" }).Locator($"tr[data-target='{name}']");
        await Assertions.Expect(target).ToContainTextAsync(routed.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%");
        var own = cluster["serverGroups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var targets = cluster["loadBalancers"]!.AsArray().Single()!["targets"]!.AsArray().Select(t => t!["serverGroup"]!.GetValue<string>()).ToList();
        targets.ShouldContain(t => t.StartsWith("shop-edge-", StringComparison.Ordinal));
        var table = page.GetByRole(AriaRole.Region, new() { Name = "Cluster shop-web in local", Exact = true }).GetByRole(AriaRole.Table, new() { Name = "Load balancer shop-lb" });
        var shown = await table.Locator("tr[data-target]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.target)");
        shown.ShouldBe([.. targets.Where(own.Contains)], ignoreOrder: true);
        await Assertions.Expect(table.GetByRole(AriaRole.Link, new() { Name = "all targets" })).ToHaveAttributeAsync("href", "/ui/applications/shop/loadbalancers");
        await UiBrowser.ScreenshotAsync(page, "clusters");

        await row.Locator(".instance").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ui/instances/local/[^/]+/logs\\?stream=stdout$"));
        await Assertions.Expect(page.Locator("pre.log")).ToContainTextAsync("started v");
        await UiBrowser.ScreenshotAsync(page, "instance-logs");
        await page.GetByRole(AriaRole.Link, new() { Name = "stderr", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("pre.log")).ToContainTextAsync("oops");
    }

    [Fact]
    public async Task Disabling_a_guarded_server_group_is_confirmed_with_the_guards_words_and_runs_as_an_orchestration_that_the_guard_refuses()
    {
        var group = await shop.GuardedServerGroupAsync();
        var page = await browser.OpenAsync(shop.Server.Url);

        await page.GotoAsync("/ui/applications/vault/clusters");
        await page.Locator($"tr[data-server-group='{group}']").GetByRole(AriaRole.Link, new() { Name = "Disable" }).ClickAsync();
        await Assertions.Expect(page.Locator("#what")).ToContainTextAsync($"{group} in account {ShopCluster.GuardedAccount} will stop taking traffic");
        await Assertions.Expect(page.Locator("#guard")).ToContainTextAsync("has traffic guards enabled");
        await UiBrowser.ScreenshotAsync(page, "server-group-action");

        await page.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ui/executions/[0-9A-Z]+$"));
        await Assertions.Expect(page.Locator("h1 .badge")).ToHaveTextAsync("TERMINAL", new() { Timeout = 60_000 });
        var after = (await shop.Server.GetJsonAsync("/applications/vault/serverGroups")).AsArray().Single(g => g!["name"]!.GetValue<string>() == group)!;
        after["isDisabled"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task A_resize_confirmed_in_the_browser_runs_the_resize_stage_and_an_unknown_server_group_is_a_404_page()
    {
        var cluster = await shop.Server.GetJsonAsync("/applications/shop/clusters/local/shop-web");
        var serving = cluster["serverGroups"]!.AsArray().First(g => !g!["isDisabled"]!.GetValue<bool>())!;
        var name = serving["name"]!.GetValue<string>();
        var desired = serving["capacity"]!["desired"]!.GetValue<int>();
        var page = await browser.OpenAsync(shop.Server.Url);

        await page.GotoAsync($"/ui/applications/shop/serverGroups/local/{name}/resize");
        await Assertions.Expect(page.GetByLabel("Desired instances")).ToHaveValueAsync(desired.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Resize" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ui/executions/[0-9A-Z]+$"));
        var id = page.Url.Split('/')[^1];
        var run = await shop.WaitForTaskAsync(id, "SUCCEEDED");
        run["description"]!.GetValue<string>().ShouldStartWith($"Resize Server Group: {name} to ");
        run["stages"]!.AsArray().Select(s => s!["type"]!.GetValue<string>()).ShouldContain("resizeServerGroup");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/applications/shop/serverGroups/local/shop-web-v999/disable");
        request.Headers.Accept.ParseAdd("text/html");
        using var missing = await shop.Server.Http.SendAsync(request);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var html = WebUtility.HtmlDecode(await missing.Content.ReadAsStringAsync());
        html.ShouldContain("Mizzen has no server group 'shop-web-v999' of application 'shop' in account 'local'");
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Mizzen.Server.Tests.Infrastructure;
using Mizzen.Server.Ui.Shared;

namespace Mizzen.Server.Tests.Ui;

/// <summary>
/// The load balancer page and the live instance logs in a real browser against the real instances of <see cref="TrafficCluster"/>:
/// the targets and weights the REST API gives, a chart that fills once real requests go through the load balancer, and a line an
/// instance writes after its logs page is open appearing without a reload.
/// </summary>
public sealed class LoadBalancersUiTests(TrafficCluster tide) : IClassFixture<TrafficCluster>, IAsyncLifetime
{
    private UiBrowser browser = null!;

    public async Task InitializeAsync() => browser = await UiBrowser.LaunchAsync();

    public async Task DisposeAsync() => await browser.DisposeAsync();

    [Fact]
    public async Task The_load_balancer_page_shows_the_apis_targets_and_weights_and_charts_the_requests_sent_through_it()
    {
        var lb = (await tide.Server.GetJsonAsync("/applications/tide/loadBalancers")).AsArray().Single(l => l!["name"]!.GetValue<string>() == "tide-lb")!;
        var targets = lb["targets"]!.AsArray().Select(t => t!).ToList();
        targets.Select(t => t["weight"]!.GetValue<int>()).Order().ShouldBe([25, 75]);
        var page = await browser.OpenAsync(tide.Server.Url);

        await page.GotoAsync("/ui/applications/tide");
        await page.GetByRole(AriaRole.Link, new() { Name = "Load balancers", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ui/applications/tide/loadbalancers$"));
        await Assertions.Expect(page.Locator("meta[http-equiv='refresh']")).ToHaveAttributeAsync("content", "30"); // reloads itself by default
        var section = page.GetByRole(AriaRole.Region, new() { Name = "Load balancer tide-lb", Exact = true });
        await Assertions.Expect(section.GetByRole(AriaRole.Link, new() { Name = lb["url"]!.GetValue<string>() })).ToBeVisibleAsync();
        await Assertions.Expect(section.Locator("tr[data-target]")).ToHaveCountAsync(targets.Count);
        foreach (var target in targets)
        {
            var row = section.Locator($"tr[data-target='{target["serverGroup"]!.GetValue<string>()}']");
            await Assertions.Expect(row.Locator("[data-weight]")).ToHaveTextAsync(target["weight"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(row.Locator("[data-configured]")).ToHaveTextAsync(Percent(target["configuredPercent"]!.GetValue<double>()));
            await Assertions.Expect(row.Locator("[data-routed]")).ToHaveTextAsync(Percent(target["percent"]!.GetValue<double>()));
        }

        await Assertions.Expect(section.Locator(".no-traffic")).ToContainTextAsync("No traffic: no request went through tide-lb in the last 15 min");
        var web = section.Locator($"article[data-target='{TrafficCluster.Web}'] figure[data-chart='requests']");
        (await PointsAsync(web)).ShouldAllBe(p => Math.Abs(p[1] - ChartFrame.Small.PlotBottom) < 0.1); // 0 requests per second: on the zero line

        using (var http = new HttpClient())
        {
            for (var i = 0; i < 60; i++)
            {
                (await http.GetAsync(new Uri(lb["url"]!.GetValue<string>()))).EnsureSuccessStatusCode();
            }
        }

        var points = await Eventually.GetAsync(async () =>
        {
            await page.GotoAsync("/ui/applications/tide/loadbalancers?minutes=5&refresh=off");
            var all = await PointsAsync(web);
            return all.Any(p => p[1] < ChartFrame.Small.PlotBottom - 1) ? all : null; // a point above the zero line: requests per second > 0
        }, TimeSpan.FromSeconds(60), "the request rate chart of tide-web-v000 to show the requests");
        await Assertions.Expect(page.Locator("meta[http-equiv='refresh']")).ToHaveCountAsync(0); // ?refresh=off
        points.ShouldAllBe(p => p[0] >= ChartFrame.Left && p[0] <= ChartFrame.Small.PlotRight && p[1] >= ChartFrame.Top && p[1] <= ChartFrame.Small.PlotBottom);
        await Assertions.Expect(section.Locator(".no-traffic")).ToHaveCountAsync(0);
        var empty = page.GetByRole(AriaRole.Region, new() { Name = $"Load balancer {TrafficCluster.LongName}", Exact = true });
        await Assertions.Expect(empty).ToContainTextAsync($"No targets: {TrafficCluster.LongName} routes nowhere yet.");
        await Assertions.Expect(empty.Locator(".no-traffic")).ToBeVisibleAsync();
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")).ShouldBeTrue("the long name must not widen the page");
        await Assertions.Expect(web.Locator("svg")).ToHaveAttributeAsync("aria-label", "Requests per second to tide-web-v000, last 5 min");
        await Assertions.Expect(page.Locator("nav.tabs a[aria-current='page']")).ToHaveTextAsync("last 5 min");
        await UiBrowser.ScreenshotAsync(page, "load-balancers");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/applications/nowhere/loadbalancers");
        request.Headers.Accept.ParseAdd("text/html");
        using var missing = await tide.Server.Http.SendAsync(request);
        missing.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        System.Net.WebUtility.HtmlDecode(await missing.Content.ReadAsStringAsync()).ShouldContain("Mizzen has no application 'nowhere'");
    }

    [Fact]
    public async Task A_line_the_instance_writes_after_its_logs_page_is_open_appears_without_a_reload()
    {
        var group = await tide.Server.GetJsonAsync("/applications/tide/clusters/local/tide-web");
        var instance = group["serverGroups"]!.AsArray().Single()!["instances"]!.AsArray().Single()!["id"]!.GetValue<string>();
        var page = await browser.OpenAsync(tide.Server.Url);

        await page.GotoAsync($"/ui/instances/local/{instance}/logs?stream=stdout");
        var log = page.Locator("pre.log");
        await Assertions.Expect(log).ToContainTextAsync("started web");
        await Assertions.Expect(page.Locator("[data-live='true']")).ToHaveCountAsync(1); // the live reader is running
        await page.EvaluateAsync("() => window.notReloaded = true");
        var marker = $"written after the page opened {Guid.NewGuid():N}";

        await tide.WriteThroughInstanceAsync("web", marker);

        await Assertions.Expect(log).ToContainTextAsync(marker);
        (await page.EvaluateAsync<bool>("() => window.notReloaded === true")).ShouldBeTrue();
        await UiBrowser.ScreenshotAsync(page, "instance-logs-live");

        // More lines than the view shows: it follows the bottom; once the reader scrolls up, new lines no longer move the view.
        await tide.WriteThroughInstanceAsync("web", string.Join('\n', Enumerable.Range(1, 80).Select(i => $"line {i} of a burst")));
        await Assertions.Expect(log).ToContainTextAsync("line 80 of a burst");
        (await log.EvaluateAsync<bool>("l => l.scrollHeight > l.clientHeight && l.scrollTop + l.clientHeight >= l.scrollHeight - 8")).ShouldBeTrue("the view follows the bottom");
        await log.EvaluateAsync("l => { l.scrollTop = 0; l.dispatchEvent(new Event('scroll')); }");
        await tide.WriteThroughInstanceAsync("web", "after scrolling up");
        await Assertions.Expect(log).ToContainTextAsync("after scrolling up");
        (await log.EvaluateAsync<double>("l => l.scrollTop")).ShouldBe(0, "a reader who scrolled up stays where they are");
        (await page.EvaluateAsync<bool>("() => window.notReloaded === true")).ShouldBeTrue();
        (await ReadersAsync()).ShouldBe("1");

        await page.GotoAsync("about:blank"); // the page goes away: its component is disposed and its reader stops
        await Eventually.GetAsync(async () => await ReadersAsync() == "0" ? "stopped" : null, TimeSpan.FromSeconds(30), "the live log reader to stop");
    }

    /// <summary>The live log readers the server reports on <c>/metrics</c>.</summary>
    private async Task<string> ReadersAsync() =>
        (await tide.Server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n').Single(l => l.StartsWith("mizzen_ui_live_log_readers ", StringComparison.Ordinal)).Split(' ')[1];

    /// <summary>The (x, y) of every point of the requests series drawn in <paramref name="figure"/>.</summary>
    private static async Task<List<double[]>> PointsAsync(ILocator figure)
    {
        var drawn = await figure.Locator("polyline[data-series='requests']").EvaluateAllAsync<string[]>("lines => lines.map(l => l.getAttribute('points'))");
        return [.. drawn.SelectMany(d => d.Split(' ')).Select(p => p.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())];
    }

    private static string Percent(double value) => value.ToString("0.#", CultureInfo.InvariantCulture) + "%";
}

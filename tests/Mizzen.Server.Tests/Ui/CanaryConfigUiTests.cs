using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Mizzen.Canary.Tests.Sources;
using Mizzen.Server.Tests.Canary;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Ui;

/// <summary>
/// The canary configs in a real browser on a real server whose <c>prometheus</c> source is a real Prometheus: the list, the config at a
/// glance, the editor (problems as you type at their line, a failed save that keeps the text, revisions, a new config) and the dry run.
/// </summary>
public sealed class CanaryConfigUiTests(PrometheusFixture prometheus) : IClassFixture<PrometheusFixture>, IAsyncLifetime
{
    private const string Checkout = """
        {"name":"checkout","applications":["shop"],"judge":{"name":"NetflixACAJudge-v1.0"},
         "metrics":[{"name":"errors","groups":["e"],"query":{"type":"embedded","metricName":"error_rate"},"analysisConfigurations":{"canary":{"direction":"increase","critical":true}}}],
         "classifier":{"groupWeights":{"e":100}}}
        """;

    private RunningServer server = null!;
    private UiBrowser browser = null!;

    public async Task InitializeAsync()
    {
        server = await PrometheusServer.StartAsync(prometheus.BaseAddress);
        browser = await UiBrowser.LaunchAsync();
        await server.CreateApplicationAsync("shop");
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        await server.DisposeAsync();
    }

    private async Task<string> CreateAsync(string config) =>
        JsonNode.Parse(await (await server.PostJsonAsync("/v2/canaries/canaryConfig", config)).Content.ReadAsStringAsync())!["canaryConfigId"]!.GetValue<string>();

    [Fact]
    public async Task The_editor_shows_a_broken_config_at_its_line_as_you_type_keeps_the_text_on_a_failed_save_and_saves_a_revision()
    {
        var id = await CreateAsync(Checkout);
        var page = await browser.OpenAsync(server.Url);

        await page.GotoAsync("/ui/applications/shop");
        await page.GetByRole(AriaRole.Link, new() { Name = "Canary configs" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ui/canary-configs\\?application=shop$"));
        await Assertions.Expect(page.GetByLabel("Application")).ToHaveValueAsync("shop");
        await UiBrowser.ScreenshotAsync(page, "canary-configs");
        await page.GetByRole(AriaRole.Table, new() { Name = "Canary configs" }).GetByRole(AriaRole.Link, new() { Name = "checkout" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/ui/canary-configs/{id}$"));
        await Assertions.Expect(page.Locator("[data-live=true]")).ToHaveCountAsync(1);
        var row = page.GetByRole(AriaRole.Table, new() { Name = "Metrics" }).Locator("tr[data-metric=errors]");
        await Assertions.Expect(row).ToContainTextAsync("increase");
        await Assertions.Expect(row).ToContainTextAsync("critical");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Groups" }).Locator("tr[data-group=e]")).ToContainTextAsync("100");
        await Assertions.Expect(page.Locator("#problems")).ToContainTextAsync("No problems");

        var editor = page.GetByLabel("Canary config JSON");
        var good = await editor.InputValueAsync();
        var bad = good.Replace("\"direction\": \"increase\"", "\"direction\": \"upward\"", StringComparison.Ordinal);
        bad.ShouldNotBe(good);
        await editor.FillAsync(bad);
        var expectedLine = bad[..bad.IndexOf("\"upward\"", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        var problem = page.Locator("ul.problems li.error").First;
        await Assertions.Expect(problem).ToContainTextAsync($"metrics[0].analysisConfigurations.canary.direction (line {expectedLine})");
        await Assertions.Expect(problem).ToContainTextAsync("unknown direction 'upward'");
        await problem.GetByRole(AriaRole.Button).ClickAsync();
        // The caret moves when the live connection's call reaches the browser: wait for it to land on the problem's line.
        await page.WaitForFunctionAsync(
            "line => { const a = document.getElementById('config-text'); return document.activeElement === a && a.value.slice(0, a.selectionStart).split('\\n').length === line; }",
            expectedLine);

        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("#save-error")).ToContainTextAsync("unknown direction 'upward'");
        await Assertions.Expect(editor).ToHaveValueAsync(bad); // nothing lost on a failed save
        (await server.GetJsonAsync($"/v2/canaries/canaryConfig/{id}/history")).AsArray().Count.ShouldBe(1);

        await editor.FillAsync(good.Replace("\"checkout\"", "\"checkout-v2\"", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#problems")).ToContainTextAsync("No problems");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator(".saved")).ToContainTextAsync("Saved as revision 2");
        (await server.GetJsonAsync($"/v2/canaries/canaryConfig/{id}"))["name"]!.GetValue<string>().ShouldBe("checkout-v2");
        (await server.GetJsonAsync($"/v2/canaries/canaryConfig/{id}/history")).AsArray().Count.ShouldBe(2);
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Revisions" }).Locator("tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByLabel("Diff").Locator(".added")).ToContainTextAsync("\"name\": \"checkout-v2\"");
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await UiBrowser.ScreenshotAsync(page, "canary-config");
        await editor.FillAsync(bad);
        await Assertions.Expect(problem).ToContainTextAsync("unknown direction 'upward'");
        await UiBrowser.ScreenshotAsync(page, "canary-config-problem");

        await page.GotoAsync("/ui/canary-configs?application=shop");
        await page.GetByRole(AriaRole.Link, new() { Name = "New config" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-live=true]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#problems")).ToContainTextAsync("No problems");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("my-canary: canary config");
        Regex.IsMatch(page.Url, "/ui/canary-configs/new").ShouldBeFalse();
        (await server.GetJsonAsync("/v2/canaries/canaryConfig?application=shop")).AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_dry_run_shows_each_metrics_queries_the_points_prometheus_returns_and_the_judgment_and_names_bad_fields()
    {
        var id = await CreateAsync(PrometheusServer.LatencyConfig);
        var page = await browser.OpenAsync(server.Url);

        await page.GotoAsync($"/ui/canary-configs/{id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Dry run" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/ui/canary-configs/{id}/dry-run$"));
        await page.GetByLabel("Control scope").FillAsync("app-baseline");
        await page.GetByLabel("Experiment scope").FillAsync("");
        await page.GetByLabel("Step (seconds)").FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dry run" }).ClickAsync();
        await Assertions.Expect(page.Locator("#experiment-default-error")).ToContainTextAsync("required");
        await Assertions.Expect(page.Locator("#step-error")).ToContainTextAsync("greater than 0");
        await Assertions.Expect(page.GetByLabel("Control scope")).ToHaveValueAsync("app-baseline"); // the form keeps what was typed

        await page.GetByLabel("Experiment scope").FillAsync("app-canary");
        await page.GetByLabel("Scope parameters").FillAsync("namespace=prod");
        await page.GetByLabel("Start (UTC)").FillAsync(Iso(prometheus.FirstSampleAt.AddSeconds(-5)));
        await page.GetByLabel("End (UTC)").FillAsync(Iso(DateTimeOffset.UtcNow.AddSeconds(1)));
        await page.GetByLabel("Step (seconds)").FillAsync("1");
        await page.GetByLabel("also judge the window").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Dry run" }).ClickAsync();

        var metric = page.GetByRole(AriaRole.Article, new() { Name = "Dry run of latency" });
        await Assertions.Expect(metric.Locator("code[data-side=control]")).ToHaveTextAsync("avg(canary_latency_seconds{scope=\"app-baseline\",namespace=\"prod\"})");
        await Assertions.Expect(metric.Locator("code[data-side=experiment]")).ToHaveTextAsync("avg(canary_latency_seconds{scope=\"app-canary\",namespace=\"prod\"})");
        await Assertions.Expect(metric.Locator("svg polyline.control")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(metric.Locator("svg polyline.experiment")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(metric.Locator("figcaption")).ToHaveTextAsync(new Regex(@"^\s*control\s+experiment\s*$"));
        var withValues = Regex.Match(await metric.Locator("dd").First.InnerTextAsync(), @"(\d+) of (\d+) points with a value");
        withValues.Success.ShouldBeTrue();
        int.Parse(withValues.Groups[1].Value, CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Metric verdicts" }).Locator("tr[data-metric=latency]")).ToContainTextAsync("High");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Judgment of the window" }).ScrollIntoViewIfNeededAsync();
        await page.EvaluateAsync("() => window.scrollBy(0, document.querySelector('#judgment-title').getBoundingClientRect().top - 20)");
        await UiBrowser.ScreenshotAsync(page, "canary-dry-run");
    }

    [Theory]
    [InlineData("/ui/canary-configs/no-such-config")]
    [InlineData("/ui/canary-configs/no-such-config/dry-run")]
    public async Task An_unknown_config_is_a_404_page_naming_it(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");

        using var answer = await server.Http.SendAsync(request);

        answer.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        System.Net.WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync()).ShouldContain("Mizzen has no canary config 'no-such-config'");
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}

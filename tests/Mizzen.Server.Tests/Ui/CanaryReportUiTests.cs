using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Ui;

/// <summary>The canary report page of a real (retrospective) canary run: the score per interval, each metric's verdict in words, its chart.</summary>
public sealed class CanaryReportUiTests : IAsyncLifetime
{
    private const string Config = """
        {"name":"checkout","applications":["shop"],"judge":{"name":"NetflixACAJudge-v1.0"},
         "metrics":[{"name":"errors","groups":["e"],"query":{"type":"embedded","metricName":"error_rate"},"analysisConfigurations":{"canary":{"direction":"increase","critical":true}}}],
         "classifier":{"groupWeights":{"e":100}}}
        """;

    private RunningServer server = null!;
    private UiBrowser browser = null!;

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
        browser = await UiBrowser.LaunchAsync();
        await server.CreateApplicationAsync("shop");
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task A_canary_run_has_a_report_page_with_its_interval_scores_metric_verdicts_in_words_and_a_chart_linked_from_its_run()
    {
        var id = JsonNode.Parse(await (await server.PostJsonAsync("/v2/canaries/canaryConfig", Config)).Content.ReadAsStringAsync())!["canaryConfigId"]!.GetValue<string>();
        var end = new DateTimeOffset(2026, 1, 1, 0, 10, 0, TimeSpan.Zero);
        var window = $"\"start\":\"{end.AddMinutes(-2):O}\",\"end\":\"{end:O}\",\"step\":10,\"location\":\"local\"";
        var request = "{\"scopes\":{\"default\":{\"controlScope\":{\"scope\":\"shop-v001\"," + window + "},\"experimentScope\":{\"scope\":\"shop-v002\"," + window + "}}},\"thresholds\":{\"pass\":75,\"marginal\":50}}";
        var started = JsonNode.Parse(await (await server.PostJsonAsync($"/v2/canaries/canary/{id}", request)).Content.ReadAsStringAsync())!;
        var canaryExecutionId = started["canaryExecutionId"]!.GetValue<string>();
        var pipelineExecutionId = started["pipelineExecutionId"]!.GetValue<string>();
        var status = await Eventually.GetAsync(
            async () =>
            {
                var current = await server.GetJsonAsync($"/v2/canaries/canary/{canaryExecutionId}");
                return current["complete"]!.GetValue<bool>() ? current : null;
            },
            TimeSpan.FromSeconds(30),
            $"canary run {canaryExecutionId} to complete");
        var report = status["reports"]!.AsArray()[^1]!["report"]!;
        var metric = report["metrics"]!.AsArray().Single()!;
        var page = await browser.OpenAsync(server.Url);

        await page.GotoAsync($"/ui/executions/{pipelineExecutionId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Canary report" }).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/ui/canary/{canaryExecutionId}$"));
        var intervals = page.GetByRole(AriaRole.Table, new() { Name = "Intervals" });
        await Assertions.Expect(intervals.Locator("tbody tr")).ToHaveCountAsync(status["reports"]!.AsArray().Count);
        await Assertions.Expect(intervals.Locator("tbody tr").Last).ToContainTextAsync(report["classification"]!.GetValue<string>());
        var article = page.GetByRole(AriaRole.Article, new() { Name = "Metric errors" });
        await Assertions.Expect(article.Locator("h3")).ToContainTextAsync(metric["classification"]!.GetValue<string>());
        await Assertions.Expect(article.Locator(".reason")).ToHaveTextAsync(metric["reason"]!.GetValue<string>());
        var chart = article.Locator("svg[role=img]");
        await Assertions.Expect(chart).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("^errors: control against experiment"));
        await Assertions.Expect(chart.Locator("rect.window")).ToHaveCountAsync(1);
        await UiBrowser.ScreenshotAsync(page, "canary-report");
        await page.GetByRole(AriaRole.Link, new() { Name = "checkout", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/ui/canary-configs/{id}$"));

        using var missing = new HttpRequestMessage(HttpMethod.Get, "/ui/canary/01NOSUCHRUN-1");
        missing.Headers.Accept.ParseAdd("text/html");
        using var answer = await server.Http.SendAsync(missing);
        answer.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync()).ShouldContain("Mizzen has no canary run '01NOSUCHRUN-1'");
    }
}

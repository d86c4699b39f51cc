using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mizzen.Canary.Tests.Sources;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Canary;

/// <summary><c>POST /v2/canaries/canaryConfig/{id}/dryRun</c> against a real Prometheus: the queries, the points, the judgment; bad input named.</summary>
public sealed class CanaryDryRunApiTests(PrometheusFixture prometheus) : IClassFixture<PrometheusFixture>, IAsyncLifetime
{
    private RunningServer server = null!;
    private string id = "";

    public async Task InitializeAsync()
    {
        server = await PrometheusServer.StartAsync(prometheus.BaseAddress);
        var created = await server.PostJsonAsync("/v2/canaries/canaryConfig", PrometheusServer.LatencyConfig);
        created.StatusCode.ShouldBe(HttpStatusCode.OK, await created.Content.ReadAsStringAsync());
        id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["canaryConfigId"]!.GetValue<string>();
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private string Body(string extra = "", string step = "1")
    {
        string Side(string scope) =>
            $"{{\"scope\":\"{scope}\",\"start\":\"{Iso(prometheus.FirstSampleAt.AddSeconds(-5))}\",\"end\":\"{Iso(DateTimeOffset.UtcNow)}\",\"step\":{step},\"extendedScopeParams\":{{\"namespace\":\"prod\"}}}}";
        return $"{{\"scopes\":{{\"default\":{{\"controlScope\":{Side("app-baseline")},\"experimentScope\":{Side("app-canary")}}}}}{extra}}}";
    }

    [Fact]
    public async Task The_dry_run_returns_each_sides_query_and_points_and_with_thresholds_the_judges_verdict()
    {
        // The judge needs a few points a side (one point has no confidence interval: "Error"); Prometheus scrapes once a second.
        await Eventually.GetAsync(async () =>
        {
            var probe = JsonNode.Parse(await (await server.PostJsonAsync($"/v2/canaries/canaryConfig/{id}/dryRun", Body())).Content.ReadAsStringAsync())!;
            var sides = new[] { probe["metrics"]?[0]?["control"], probe["metrics"]?[0]?["experiment"] };
            return sides.All(side => side?["nonNaNPoints"]?.GetValue<int>() >= 5) ? "enough" : null;
        }, TimeSpan.FromSeconds(60), "five scraped points on each side");

        var answer = await server.PostJsonAsync($"/v2/canaries/canaryConfig/{id}/dryRun", Body(",\"thresholds\":{\"pass\":95,\"marginal\":75}"));

        var text = await answer.Content.ReadAsStringAsync();
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var result = JsonNode.Parse(text)!;
        var metric = result["metrics"]![0]!;
        metric["control"]!["query"]!.GetValue<string>().ShouldBe("avg(canary_latency_seconds{scope=\"app-baseline\",namespace=\"prod\"})");
        metric["experiment"]!["query"]!.GetValue<string>().ShouldBe("avg(canary_latency_seconds{scope=\"app-canary\",namespace=\"prod\"})");
        var control = metric["control"]!["metricSets"]!.AsArray().ShouldHaveSingleItem()!;
        var experiment = metric["experiment"]!["metricSets"]!.AsArray().ShouldHaveSingleItem()!;
        control["stepMillis"]!.GetValue<long>().ShouldBe(1000);
        control["values"]!.AsArray().Where(v => v is not null).Select(v => v!.GetValue<double>()).ShouldNotBeEmpty();
        control["values"]!.AsArray().Where(v => v is not null).ShouldAllBe(v => v!.GetValue<double>() == 1.5);
        experiment["values"]!.AsArray().Where(v => v is not null).ShouldAllBe(v => v!.GetValue<double>() == 3.0);
        metric["control"]!["nonNaNPoints"]!.GetValue<int>().ShouldBeGreaterThan(0);
        metric["problems"]!.AsArray().ShouldBeEmpty();
        result["judgment"]!["metrics"]![0]!["classification"]!.GetValue<string>().ShouldBe("High");
        result["notJudged"].ShouldBeNull();

        var gate = JsonNode.Parse(await (await server.PostJsonAsync($"/v2/canaryConfig/{id}/dryRun?fetch=false", Body())).Content.ReadAsStringAsync())!;
        gate["metrics"]![0]!["control"]!["query"]!.GetValue<string>().ShouldBe(metric["control"]!["query"]!.GetValue<string>());
        gate["judgment"].ShouldBeNull();
    }

    [Fact]
    public async Task Bad_dry_run_input_is_a_400_naming_every_field_and_runs_nothing()
    {
        var bad = Body(",\"thresholds\":{\"pass\":50,\"marginal\":75}", step: "0").Replace("\"scope\":\"app-canary\"", "\"scope\":\"\"", StringComparison.Ordinal);

        var answer = await server.PostJsonAsync($"/v2/canaries/canaryConfig/{id}/dryRun", bad);

        answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        answer.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var locations = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["errors"]!.AsArray().Select(e => e!["location"]!.GetValue<string>()).ToList();
        locations.ShouldBe(
            ["scopes.default.controlScope.step", "scopes.default.experimentScope.scope", "scopes.default.experimentScope.step", "thresholds.marginal"],
            ignoreOrder: true);

        var noScopes = await server.PostJsonAsync($"/v2/canaries/canaryConfig/{id}/dryRun", "{\"scopes\":{}}");
        noScopes.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonNode.Parse(await noScopes.Content.ReadAsStringAsync())!["errors"]![0]!["location"]!.GetValue<string>().ShouldBe("scopes");

        var window = await server.PostJsonAsync($"/v2/canaries/canaryConfig/{id}/dryRun", Regex.Replace(Body(), "\"end\":\"[^\"]+\"", "\"end\":\"2020-01-01T00:00:00Z\""));
        window.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await window.Content.ReadAsStringAsync()).ShouldContain("scopes.default.controlScope.end");

        var tooMany = await server.PostJsonAsync($"/v2/canaries/canaryConfig/{id}/dryRun", Regex.Replace(Body(), "\"start\":\"[^\"]+\"", "\"start\":\"2000-01-01T00:00:00Z\""));
        tooMany.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await tooMany.Content.ReadAsStringAsync()).ShouldContain("at most 11000");

        (await server.PostJsonAsync("/v2/canaries/canaryConfig/no-such-config/dryRun", Body())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_cli_dry_run_prints_each_query_its_points_and_the_verdict()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await Mizzen.Cli.Cli.RunAsync(
            ["canary", "dry-run", id, "--control", "app-baseline", "--experiment", "app-canary", "-p", "namespace=prod",
             "--start", Iso(prometheus.FirstSampleAt.AddSeconds(-5)), "--end", Iso(DateTimeOffset.UtcNow), "--step", "1", "--judge", "95,75",
             "--server", server.Url.ToString().TrimEnd('/')],
            stdout,
            stderr);

        exit.ShouldBe(0, stderr.ToString());
        var lines = stdout.ToString().Split('\n');
        lines[0].ShouldBe("latency (prometheus)");
        lines[1].ShouldBe("  control    avg(canary_latency_seconds{scope=\"app-baseline\",namespace=\"prod\"})");
        Regex.Match(lines[2], @"^\s+1 series, (\d+) of \d+ points with a value$").Groups[1].Value.ShouldNotBeOneOf("", "0");
        lines[3].ShouldBe("  experiment avg(canary_latency_seconds{scope=\"app-canary\",namespace=\"prod\"})");
        lines.ShouldContain(l => l.StartsWith("  latency: High — canary 100% higher than baseline", StringComparison.Ordinal));

        var bad = await Mizzen.Cli.Cli.RunAsync(
            ["canary", "dry-run", id, "--control", "a", "--experiment", "b", "--step", "0", "--server", server.Url.ToString().TrimEnd('/')], new StringWriter(), stderr);
        bad.ShouldBe(1);
        stderr.ToString().ShouldContain("scopes.default.controlScope.step");
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}

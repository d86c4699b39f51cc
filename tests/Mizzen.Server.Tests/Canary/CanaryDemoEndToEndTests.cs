using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Canary;

/// <summary>
/// The demo's <c>canary</c> pipeline on the local provider, real processes and real time (two one-minute intervals): v2 passes and is
/// promoted to prod; v3 (10% errors) fails at the first interval, the canary server groups are removed and prod serves v2 alone.
/// The only traffic is the demo's own generator (what a newcomer's canary sees), so this also checks that its rate is enough for
/// a certain verdict.
/// </summary>
public sealed class CanaryDemoEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);
    private RunningServer server = null!;

    public async Task InitializeAsync()
    {
        var bundles = await DemoBundles.FolderAsync();
        server = await RunningServer.StartAsync(demo: true, [("staging", "23600-23699"), ("prod", "23700-23799")],
            data => DemoBundles.CopyInto(bundles, data));
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Canary_of_a_healthy_release_promotes_it_and_canary_with_higher_error_rate_fails_and_rolls_back()
    {
        using var prod = new DemoProd(server, StepTimeout);
        var prodUrl = await prod.UrlAsync();
        await prod.AnswersAsync(prodUrl, "v1");
        await Eventually.GetAsync(async () => (await server.SendAsync(HttpMethod.Get, "/v2/canaries/canaryConfig/demo-canary")).Status == 200 ? "saved" : null, StepTimeout, "the demo canary config");

        var (pass, progress) = await RunCanaryWithCliAsync("v2");
        pass["status"]!.GetValue<string>().ShouldBe("SUCCEEDED", pass.ToJsonString());
        var canaryLines = progress.Split('\n').Where(l => l.Contains("Canary at 10%: ", StringComparison.Ordinal)).Select(l => l[9..].TrimStart()).ToList();
        canaryLines.Count.ShouldBe(3, progress); // planned, first interval judged, second judged: one line each while --wait follows
        canaryLines[0].ShouldStartWith("Canary at 10%: interval 1 of 2, ");
        canaryLines[0].ShouldEndWith(" left, no score yet");
        canaryLines[1].ShouldStartWith("Canary at 10%: interval 2 of 2, ");
        canaryLines[1].ShouldContain(" left, latest score ");
        canaryLines[2].ShouldStartWith("Canary at 10%: interval 2 of 2 judged, latest score ");
        var passCanary = pass["stages"]!.AsArray().First(s => s!["type"]!.GetValue<string>() == "kayentaCanary")!;
        passCanary["outputs"]!["canaryScores"]!.AsArray().Count.ShouldBe(2);
        await prod.AnswersAsync(prodUrl, "v2");

        var fail = await RunCanaryAsync("v3");
        fail["status"]!.GetValue<string>().ShouldBe("TERMINAL", fail.ToJsonString());
        var failCanary = fail["stages"]!.AsArray().First(s => s!["type"]!.GetValue<string>() == "kayentaCanary")!;
        failCanary["outputs"]!["canaryScores"]!.AsArray().Count.ShouldBe(1, "the canary fails at its first interval: " + failCanary["context"]!["intervalResults"]!.ToJsonString());
        failCanary["outputs"]!["canaryScoreMessage"]!.GetValue<string>().ShouldContain("error_rate");
        var cleanup = fail["stages"]!.AsArray().Where(s => s!["parentStageId"]?.GetValue<string>() == failCanary["id"]!.GetValue<string>()
                                                              && s["type"]!.GetValue<string>() is "destroyServerGroup" or "setTrafficWeights").ToList();
        cleanup.Select(s => s!["type"]!.GetValue<string>()).ShouldBe(["setTrafficWeights", "setTrafficWeights", "destroyServerGroup", "destroyServerGroup"]);
        cleanup.ShouldAllBe(s => s!["status"]!.GetValue<string>() == "SUCCEEDED");
        fail["stages"]!.AsArray().ShouldNotContain(s => s!["type"]!.GetValue<string>() == "deploy" && s["status"]!.GetValue<string>() != "NOT_STARTED");
        await prod.AnswersAsync(prodUrl, "v2");
    }

    /// <summary>Runs the canary with <c>pipeline execute … --wait</c> as the README does; what it printed, and the finished run.</summary>
    private async Task<(JsonNode Execution, string Output)> RunCanaryWithCliAsync(string version)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Mizzen.Cli.Cli.RunAsync(
            ["pipeline", "execute", "demo", "canary", "-p", $"version={version}", "--wait", "--server", server.Url.ToString().TrimEnd('/')], stdout, stderr);
        var output = stdout.ToString();
        exit.ShouldBe(0, output + stderr);
        return (await server.GetJsonAsync($"/pipelines/{output.Split('\n')[0].Trim()}"), output);
    }

    private async Task<JsonNode> RunCanaryAsync(string version)
    {
        var (status, body) = await server.SendAsync(HttpMethod.Post, "/pipelines/demo/canary", new JsonObject { ["type"] = "manual", ["parameters"] = new JsonObject { ["version"] = version } });
        status.ShouldBe(202, body?.ToJsonString());
        var id = body!["ref"]!.GetValue<string>().Split('/')[^1];
        return await Eventually.GetAsync(async () =>
        {
            var execution = await server.GetJsonAsync($"/pipelines/{id}");
            return execution["status"]!.GetValue<string>() is "NOT_STARTED" or "RUNNING" ? null : execution;
        }, TimeSpan.FromMinutes(5), $"the canary of {version} to finish");
    }
}

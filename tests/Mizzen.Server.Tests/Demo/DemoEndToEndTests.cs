using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Demo;

/// <summary>
/// The first-run demo as a user meets it: <c>serve --demo</c> puts v1 in prod behind <c>demo-prod-lb</c>; <c>deploy</c> v2 goes through
/// staging, the smoke test and the judgment to prod; <c>rollback</c> brings v1 back. Real processes, real load balancers.
/// </summary>
public sealed class DemoEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);
    private RunningServer server = null!;

    public async Task InitializeAsync()
    {
        var bundles = await DemoBundles.FolderAsync();
        server = await RunningServer.StartAsync(demo: true, [("staging", "23400-23499"), ("prod", "23500-23599")],
            data => DemoBundles.CopyInto(bundles, data));
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Demo_deploys_v1_then_promotes_v2_through_a_judgment_and_rolls_prod_back_to_v1()
    {
        using var prod = new DemoProd(server, StepTimeout);
        var prodUrl = await prod.UrlAsync();
        await prod.AnswersAsync(prodUrl, "v1");
        var pipelines = (await server.GetJsonAsync("/applications/demo/pipelineConfigs")).AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        pipelines.ShouldContain("deploy");
        pipelines.ShouldContain("rollback");

        var deploy = await TriggerAsync("deploy", new JsonObject { ["version"] = "v2" });
        var judgment = await Eventually.GetAsync(async () =>
        {
            var execution = await server.GetJsonAsync($"/pipelines/{deploy}");
            execution["status"]!.GetValue<string>().ShouldBeOneOf("NOT_STARTED", "RUNNING");
            return execution["stages"]!.AsArray().FirstOrDefault(s => s!["type"]!.GetValue<string>() == "manualJudgment" && s["status"]!.GetValue<string>() == "RUNNING");
        }, TimeSpan.FromSeconds(120), "the judgment 'Promote v2 to prod?'");
        judgment["context"]!["instructions"]!.GetValue<string>().ShouldBe("Promote v2 to prod?");
        await prod.AnswersAsync(prodUrl, "v1"); // staging has v2; prod waits for the judgment

        var (status, _) = await server.SendAsync(HttpMethod.Patch, $"/pipelines/{deploy}/stages/{judgment["id"]}", new JsonObject { ["judgmentStatus"] = "continue" });
        status.ShouldBe(200);
        await FinishedAsync(deploy);
        await prod.AnswersAsync(prodUrl, "v2");

        var rollback = await TriggerAsync("rollback", []);
        await FinishedAsync(rollback);
        await prod.AnswersAsync(prodUrl, "v1");
    }

    private async Task<string> TriggerAsync(string pipeline, JsonObject parameters)
    {
        var (status, body) = await server.SendAsync(HttpMethod.Post, $"/pipelines/demo/{pipeline}", new JsonObject { ["type"] = "manual", ["parameters"] = parameters });
        status.ShouldBe(202, body?.ToJsonString());
        return body!["ref"]!.GetValue<string>().Split('/')[^1];
    }

    private async Task FinishedAsync(string executionId)
    {
        var done = await Eventually.GetAsync(async () =>
        {
            var execution = await server.GetJsonAsync($"/pipelines/{executionId}");
            return execution["status"]!.GetValue<string>() is "NOT_STARTED" or "RUNNING" ? null : execution;
        }, TimeSpan.FromSeconds(120), $"execution {executionId} to finish");
        done["status"]!.GetValue<string>().ShouldBe("SUCCEEDED", done.ToJsonString());
    }
}

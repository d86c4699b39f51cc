using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Demo;

/// <summary>
/// The first-run demo as a user meets it: <c>serve --demo</c> puts v1 in prod behind <c>demo-prod-lb</c>; <c>deploy</c> v2 goes through
/// staging, the smoke test and the judgment to prod; <c>rollback</c> brings v1 back; a restart on the same data sets nothing up twice.
/// Real processes, real load balancers.
/// </summary>
public sealed class DemoEndToEndTests : IAsyncLifetime
{
    /// <summary>Event ids of the demo setup's log lines (src/Mizzen.Server/Demo).</summary>
    private const int Welcome = 8100, SetupFailed = 8109, PipelineSaved = 8121, FirstDeployStarted = 8131;

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

    [Fact]
    public async Task Demo_sets_up_idempotently_when_the_server_restarts_on_the_same_data()
    {
        var firstDeploy = await server.Logs.WaitForAsync(l => Demo(l, FirstDeployStarted), StepTimeout, "the demo's first deploy to start");
        var firstDeployId = firstDeploy.Message.Split("(execution ")[1].TrimEnd(')');
        await FinishedAsync(firstDeployId);
        var stdout = new StringWriter();
        (await Mizzen.Cli.Cli.RunAsync(["execution", "list", "demo", "--server", server.Url.ToString().TrimEnd('/')], stdout, new StringWriter())).ShouldBe(0);
        stdout.ToString().Split('\n').ShouldContain(l => l.StartsWith($"{firstDeployId}  task", StringComparison.Ordinal) && l.Contains("Demo first run: deploy v1 to staging and prod", StringComparison.Ordinal) && l.Contains(" SUCCEEDED ", StringComparison.Ordinal));
        await server.Logs.WaitForAsync(l => Demo(l, Welcome) && l.Message.Contains("Mizzen demo is ready.", StringComparison.Ordinal), StepTimeout, "the demo's welcome");
        var before = await SnapshotAsync();
        before.Applications.ShouldBe(["demo"]);
        before.LoadBalancers.ShouldBe([
            $"demo-prod-lb account=prod url={before.Urls["demo-prod-lb"]}",
            $"demo-staging-lb account=staging url={before.Urls["demo-staging-lb"]}",
        ]);
        before.Urls.Values.ShouldAllBe(url => url.StartsWith("http://", StringComparison.Ordinal));
        before.ServerGroups.ShouldBe(["demo-prod-v000", "demo-staging-v000"]);
        before.Pipelines.ShouldContain(p => p.StartsWith("deploy ", StringComparison.Ordinal));
        before.Pipelines.ShouldContain(p => p.StartsWith("rollback ", StringComparison.Ordinal));

        server = await server.RestartAsync();
        var welcome = await server.Logs.WaitForAsync(l => Demo(l, Welcome) && l.Message.Contains("clusters are deployed", StringComparison.Ordinal),
            StepTimeout, "the restarted demo's welcome");

        welcome.Message.ShouldContain("(demo-staging, demo-prod)");
        server.Logs.Entries.ShouldNotContain(l => Demo(l, FirstDeployStarted) || Demo(l, PipelineSaved) || Demo(l, SetupFailed));
        var after = await SnapshotAsync();
        after.Applications.ShouldBe(before.Applications);
        after.LoadBalancers.ShouldBe(before.LoadBalancers);
        after.ServerGroups.ShouldBe(before.ServerGroups);
        after.Pipelines.ShouldBe(before.Pipelines);
        using var prod = new DemoProd(server, StepTimeout);
        await prod.AnswersAsync(before.Urls["demo-prod-lb"], "v1");
    }

    /// <summary>A line of the demo setup (event ids are unique per component, not across the server).</summary>
    private static bool Demo(RecordedLog line, int eventId) =>
        line.EventId == eventId && line.Category.StartsWith("Mizzen.Server.Demo.", StringComparison.Ordinal);

    /// <summary>What a second setup must not duplicate, in comparable form.</summary>
    private async Task<DemoSnapshot> SnapshotAsync()
    {
        var applications = (await server.GetJsonAsync("/applications")).AsArray().Select(a => a!["name"]!.GetValue<string>()).Where(n => n == "demo").ToList();
        var balancers = (await server.GetJsonAsync("/applications/demo/loadBalancers")).AsArray().Select(lb => lb!).ToList();
        var groups = (await server.GetJsonAsync("/applications/demo/serverGroups")).AsArray().Select(g => g!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        var pipelines = new List<string>();
        foreach (var config in (await server.GetJsonAsync("/applications/demo/pipelineConfigs")).AsArray().OrderBy(p => p!["name"]!.GetValue<string>(), StringComparer.Ordinal))
        {
            var id = config!["id"]!.GetValue<string>();
            var revisions = (await server.GetJsonAsync($"/pipelineConfigs/{id}/history?limit=100")).AsArray().Count;
            pipelines.Add($"{config["name"]} id={id} revisions={revisions}");
        }

        return new DemoSnapshot(
            applications,
            [.. balancers.Select(lb => $"{lb["name"]} account={lb["account"]} url={lb["url"]}")],
            balancers.ToDictionary(lb => lb["name"]!.GetValue<string>(), lb => lb["url"]!.GetValue<string>()),
            groups,
            pipelines);
    }

    private sealed record DemoSnapshot(
        IReadOnlyList<string> Applications, IReadOnlyList<string> LoadBalancers, IReadOnlyDictionary<string, string> Urls, IReadOnlyList<string> ServerGroups, IReadOnlyList<string> Pipelines);

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

using System.Net;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Artifacts;

/// <summary>
/// The whole path on the real server: a webhook carries a bundle artifact, the trigger binds it to the pipeline's expected artifact,
/// and the deploy stage deploys the bundle bound to that id (real processes of the demo service).
/// </summary>
public sealed class WebhookArtifactDeployTests : IAsyncLifetime
{
    private RunningServer server = null!;
    private string bundle = "";

    public async Task InitializeAsync()
    {
        bundle = Path.Combine(await DemoBundles.FolderAsync(), "demo-v2.tar.gz");
        server = await RunningServer.StartAsync(demo: false, [("local", "25400-25449")]);
        await server.CreateApplicationAsync("shop");
        var pipeline = new JsonObject
        {
            ["application"] = "shop",
            ["name"] = "deploy on build",
            ["expectedArtifacts"] = new JsonArray(new JsonObject
            {
                ["id"] = "shop-bundle", ["displayName"] = "shop bundle", ["matchArtifact"] = new JsonObject { ["type"] = "local/bundle", ["name"] = "shop" },
            }),
            ["triggers"] = new JsonArray(new JsonObject
            {
                ["type"] = "webhook", ["enabled"] = true, ["source"] = "shop-builds", ["expectedArtifactIds"] = new JsonArray("shop-bundle"),
            }),
            ["stages"] = new JsonArray(new JsonObject
            {
                ["refId"] = "1", ["type"] = "deploy", ["name"] = "Deploy",
                ["clusters"] = new JsonArray(new JsonObject
                {
                    ["application"] = "shop", ["account"] = "local", ["cloudProvider"] = "local", ["stack"] = "web",
                    ["capacity"] = new JsonObject { ["min"] = 1, ["max"] = 1, ["desired"] = 1 },
                    ["expectedArtifactId"] = "shop-bundle",
                    ["command"] = "sh",
                    ["args"] = new JsonArray("-c", "VERSION=from-webhook exec dotnet demo-service.dll"),
                    ["healthCheck"] = new JsonObject { ["type"] = "http", ["path"] = "/health", ["intervalSeconds"] = 0.5 },
                }),
            }),
        };
        var saved = await server.PostJsonAsync("/pipelines", pipeline.ToJsonString());
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_webhook_with_a_bundle_artifact_deploys_the_bundle_bound_to_the_expected_artifact()
    {
        var (status, answer) = await server.SendAsync(HttpMethod.Post, "/webhooks/webhook/shop-builds", new JsonObject
        {
            ["artifacts"] = new JsonArray(new JsonObject { ["type"] = "local/bundle", ["name"] = "shop", ["version"] = "v2", ["reference"] = bundle }),
        });

        status.ShouldBe(200, answer?.ToJsonString());
        var started = answer!["executions"]!.AsArray().ShouldHaveSingleItem()!;
        started["result"]!.GetValue<string>().ShouldBe("started", started.ToJsonString());
        var run = await server.WaitForAsync(started["executionId"]!.GetValue<string>(),
            e => e["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL", TimeSpan.FromMinutes(2));
        run["status"]!.GetValue<string>().ShouldBe("SUCCEEDED", run.ToJsonString());
        var group = (await server.GetJsonAsync("/applications/shop/serverGroups")).AsArray().ShouldHaveSingleItem()!;
        group["name"]!.GetValue<string>().ShouldBe("shop-web-v000");
        group["artifact"]!["version"]!.GetValue<string>().ShouldBe("v2");
        group["artifact"]!["reference"]!.GetValue<string>().ShouldBe(bundle);
    }
}

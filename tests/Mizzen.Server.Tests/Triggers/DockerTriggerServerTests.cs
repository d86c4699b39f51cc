using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Persistence.Executions;
using Mizzen.Server.Tests.Infrastructure;
using Mizzen.Testing.Docker;
using Mizzen.Triggers.Docker;

namespace Mizzen.Server.Tests.Triggers;

/// <summary>The server's own docker poller, configured in mizzen.json, against a real registry: a new tag starts the pipeline by itself.</summary>
public sealed class DockerTriggerServerTests
{
    [Fact]
    public async Task The_server_polls_the_configured_registry_and_a_new_tag_starts_the_pipeline()
    {
        await using var registry = await DockerRegistryProcess.StartNewAsync();
        await registry.PushAsync("team/app", "v1", "one");
        await using var server = await RunningServer.StartAsync(demo: false, [("local", "21300-21309")], data =>
        {
            var path = Path.Combine(data, "mizzen.json");
            var settings = JsonNode.Parse(File.ReadAllText(path))!;
            settings["Mizzen"]!["Triggers"] = new JsonObject
            {
                ["Docker"] = new JsonObject
                {
                    ["PollInterval"] = "00:00:01",
                    ["Accounts"] = new JsonArray(new JsonObject { ["Name"] = "hub", ["Address"] = registry.Address }),
                },
            };
            File.WriteAllText(path, settings.ToJsonString());
        });
        await server.CreateApplicationAsync("shop");
        var saved = await server.PostJsonAsync("/pipelines", """
            {"application":"shop","name":"deploy","triggers":[{"type":"docker","enabled":true,"account":"hub","repository":"team/app"}],
             "stages":[{"refId":"1","type":"wait","waitTime":0}]}
            """);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var monitor = server.Services.GetRequiredService<DockerMonitor>();
        await Eventually.GetAsync(async () => (await monitor.StatusAsync(CancellationToken.None)).FirstOrDefault(s => s.Seeded),
            TimeSpan.FromSeconds(30), "the first poll of team/app");

        await registry.PushAsync("team/app", "v2", "two");

        var executions = server.Services.GetRequiredService<IExecutionStore>();
        var run = await Eventually.GetAsync(async () =>
            (await executions.ListAsync(new ExecutionQuery { Application = "shop" }, CancellationToken.None)).FirstOrDefault(),
            TimeSpan.FromSeconds(30), "a run started by tag v2");
        run.Trigger["tag"]!.GetValue<string>().ShouldBe("v2");
        run.Trigger["artifacts"]![0]!["reference"]!.GetValue<string>().ShouldBe($"{registry.Host}/team/app:v2");
        (await executions.ListAsync(new ExecutionQuery { Application = "shop" }, CancellationToken.None)).Count.ShouldBe(1); // v1 started nothing
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Api;

/// <summary>Gate's <c>expand=false</c> on <c>GET /applications/{app}/pipelines</c>: the runs with their stages' summary only.</summary>
public sealed class ExecutionListExpandApiTests : IAsyncLifetime
{
    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Expand_false_lists_runs_with_stages_but_without_their_context_outputs_or_tasks()
    {
        await server.CreateApplicationAsync("shop");
        (await server.PostJsonAsync("/pipelines", """{"application":"shop","name":"long","stages":[{"refId":"1","type":"wait","name":"hold","waitTime":3600}]}""")).EnsureSuccessStatusCode();
        var response = await server.PostJsonAsync("/pipelines/shop/long", "{}");
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>()["/pipelines/".Length..];
        await server.WaitForAsync(id, e => e["stages"]![0]!["status"]!.GetValue<string>() == "RUNNING");

        var expanded = (await server.GetJsonAsync("/applications/shop/pipelines")).AsArray().ShouldHaveSingleItem()!;
        var summary = (await server.GetJsonAsync("/applications/shop/pipelines?expand=false")).AsArray().ShouldHaveSingleItem()!;

        expanded["stages"]![0]!["context"]!["waitTime"]!.GetValue<int>().ShouldBe(3600);
        expanded["stages"]![0]!["tasks"]!.AsArray().ShouldNotBeEmpty();
        summary["id"]!.GetValue<string>().ShouldBe(id);
        summary["status"]!.GetValue<string>().ShouldBe("RUNNING");
        var stage = summary["stages"]!.AsArray().ShouldHaveSingleItem()!;
        (stage["refId"]!.GetValue<string>(), stage["type"]!.GetValue<string>(), stage["name"]!.GetValue<string>(), stage["status"]!.GetValue<string>())
            .ShouldBe(("1", "wait", "hold", "RUNNING"));
        stage["startTime"].ShouldNotBeNull();
        stage["context"]!.AsObject().ShouldBeEmpty();
        stage["outputs"]!.AsObject().ShouldBeEmpty();
        stage["tasks"]!.AsArray().ShouldBeEmpty();
        var explicitlyExpanded = (await server.GetJsonAsync("/applications/shop/pipelines?expand=true")).AsArray().ShouldHaveSingleItem()!;
        explicitlyExpanded["stages"]![0]!["context"]!["waitTime"]!.GetValue<int>().ShouldBe(3600);
        var bad = await server.Http.GetAsync("/applications/shop/pipelines?expand=maybe");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("expand");
    }
}

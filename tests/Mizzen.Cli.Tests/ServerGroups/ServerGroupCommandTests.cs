using System.Text.Json.Nodes;
using Mizzen.Cli.Tests.Fakes;
using static Mizzen.Cli.Tests.Fakes.GateSamples;

namespace Mizzen.Cli.Tests.ServerGroups;

/// <summary><c>mizzen server-group …</c>: each operation posts to its route, prints the execution id, and <c>--wait</c> follows it.</summary>
public sealed class ServerGroupCommandTests : IAsyncLifetime
{
    private const string Id = "01JOPERATION";
    private static readonly JsonObject Started = new() { ["ref"] = $"/pipelines/{Id}" };
    private FakeGateServer gate = null!;

    public async Task InitializeAsync() => gate = await FakeGateServer.StartAsync();

    public async Task DisposeAsync() => await gate.DisposeAsync();

    [Fact]
    public async Task Resize_posts_the_capacity_and_prints_the_execution_id()
    {
        gate.On("POST", "/applications/demo/serverGroups/prod/demo-prod-v001/resize", Started.DeepClone(), 202);

        var result = await CliRunner.RunAsync(gate, "server-group", "resize", "demo", "prod", "demo-prod-v001", "--desired", "3");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.OutLines.ShouldBe([Id]);
        JsonNode.Parse(gate.Single("POST", "/applications/demo/serverGroups/prod/demo-prod-v001/resize").Body)!.ToJsonString()
            .ShouldBe("""{"capacity":{"min":3,"max":3,"desired":3}}""");
    }

    [Theory]
    [InlineData("enable", "POST", "/applications/demo/serverGroups/prod/demo-prod-v001/enable")]
    [InlineData("disable", "POST", "/applications/demo/serverGroups/prod/demo-prod-v001/disable")]
    [InlineData("destroy", "DELETE", "/applications/demo/serverGroups/prod/demo-prod-v001")]
    public async Task Enable_disable_and_destroy_use_their_routes(string verb, string method, string path)
    {
        gate.On(method, path, Started.DeepClone(), 202);

        var result = await CliRunner.RunAsync(gate, "server-group", verb, "demo", "prod", "demo-prod-v001");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.OutLines.ShouldBe([Id]);
    }

    [Fact]
    public async Task Rollback_with_wait_follows_the_execution_until_it_succeeds()
    {
        gate.On("POST", "/applications/demo/clusters/prod/demo-prod/rollback", Started.DeepClone(), 202);
        gate.On("GET", $"/pipelines/{Id}", Execution(Id, "SUCCEEDED", Stage("s1", "Rollback Server Group", "rollbackServerGroup", "SUCCEEDED", T0, T0 + 5_000)));

        var result = await CliRunner.RunAsync(gate, "server-group", "rollback", "demo", "prod", "demo-prod", "--wait");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.OutLines.ShouldBe([Id, "09:00:05 Rollback Server Group SUCCEEDED", $"09:01:05 execution {Id} SUCCEEDED"]);
    }

    [Fact]
    public async Task Rollback_with_wait_exits_1_with_the_stage_errors_when_it_fails()
    {
        gate.On("POST", "/applications/demo/clusters/prod/demo-prod/rollback", Started.DeepClone(), 202);
        gate.On("GET", $"/pipelines/{Id}", Execution(Id, "TERMINAL",
            Stage("s1", "Rollback Server Group", "rollbackServerGroup", "TERMINAL", T0, T0 + 5_000, ErrorContext("the traffic guard refused to disable demo-prod-v001"))));

        var result = await CliRunner.RunAsync(gate, "server-group", "rollback", "demo", "prod", "demo-prod", "--wait");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Out.ShouldContain("  the traffic guard refused to disable demo-prod-v001");
    }

    [Fact]
    public async Task Rollback_of_a_cluster_without_a_previous_server_group_prints_the_conflict()
    {
        gate.Problem("POST", "/applications/demo/clusters/prod/demo-prod/rollback", 409, "Conflict",
            "cluster 'demo-prod' in account 'prod' has no server group older than demo-prod-v000 to roll back to");

        var result = await CliRunner.RunAsync(gate, "server-group", "rollback", "demo", "prod", "demo-prod");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("has no server group older than demo-prod-v000");
    }

    [Fact]
    public async Task Resize_needs_desired()
    {
        var result = await CliRunner.RunAsync(gate, "server-group", "resize", "demo", "prod", "demo-prod-v001");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("--desired");
    }
}

using System.Text.Json.Nodes;
using Mizzen.Cli.Tests.Fakes;
using static Mizzen.Cli.Tests.Fakes.GateSamples;

namespace Mizzen.Cli.Tests.Clusters;

/// <summary><c>mizzen cluster list|get</c> against Gate's cluster routes.</summary>
public sealed class ClusterCommandTests : IAsyncLifetime
{
    private FakeGateServer gate = null!;

    public async Task InitializeAsync() => gate = await FakeGateServer.StartAsync();

    public async Task DisposeAsync() => await gate.DisposeAsync();

    [Fact]
    public async Task Cluster_list_prints_one_row_per_account_and_cluster()
    {
        gate.On("GET", "/applications/demo/clusters", new JsonObject
        {
            ["staging"] = new JsonArray("demo-staging"),
            ["prod"] = new JsonArray("demo-prod", "demo-prod-canary"),
        });

        var result = await CliRunner.RunAsync(gate, "cluster", "list", "demo");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.OutLines.ShouldBe([
            "ACCOUNT  CLUSTER",
            "prod     demo-prod",
            "prod     demo-prod-canary",
            "staging  demo-staging",
        ]);
    }

    [Fact]
    public async Task Cluster_get_prints_the_server_groups_newest_first_and_each_load_balancer_target_with_its_weight_and_actual_traffic()
    {
        gate.On("GET", "/applications/demo/clusters/prod/demo-prod", new JsonObject
        {
            ["name"] = "demo-prod",
            ["account"] = "prod",
            ["serverGroups"] = new JsonArray(
                Group("demo-prod-v001", "v2", disabled: false, up: 2, T0 + 60_000),
                Group("demo-prod-v000", "v1", disabled: true, up: 2, T0)),
            ["loadBalancers"] = new JsonArray(new JsonObject
            {
                ["name"] = "demo-prod-lb",
                ["url"] = "http://127.0.0.1:21100",
                ["targets"] = new JsonArray(
                    new JsonObject { ["serverGroup"] = "demo-prod-v001", ["weight"] = 100, ["configuredPercent"] = 50.0, ["percent"] = 100.0, ["upInstances"] = 2, ["routing"] = "routed" },
                    new JsonObject { ["serverGroup"] = "demo-prod-v000", ["weight"] = 100, ["configuredPercent"] = 50.0, ["percent"] = 0.0, ["upInstances"] = 0, ["routing"] = "disabled" }),
            }),
        });

        var result = await CliRunner.RunAsync(gate, "cluster", "get", "demo", "prod", "demo-prod");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.OutLines.ShouldBe([
            "cluster:  demo-prod",
            "account:  prod",
            "",
            "SERVER GROUP    STATUS    INSTANCES  CAPACITY  VERSION  CREATED",
            "demo-prod-v001  enabled   2/2 up     2/2/2     v2       2026-11-02 09:01:00",
            "demo-prod-v000  disabled  2/2 up     2/2/2     v1       2026-11-02 09:00:00",
            "",
            "LOAD BALANCER  URL                     SERVER GROUP    WEIGHT  TRAFFIC  ROUTING",
            "demo-prod-lb   http://127.0.0.1:21100  demo-prod-v001  100     100%     routed to 2 Up",
            "demo-prod-lb   http://127.0.0.1:21100  demo-prod-v000  100     0%       disabled",
        ]);
    }

    [Fact]
    public async Task Cluster_get_of_an_unknown_cluster_prints_the_servers_message_and_exits_1()
    {
        gate.Problem("GET", "/applications/demo/clusters/prod/nope", 404, "Not found", "application 'demo' has no cluster 'nope' in account 'prod'");

        var result = await CliRunner.RunAsync(gate, "cluster", "get", "demo", "prod", "nope");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("application 'demo' has no cluster 'nope' in account 'prod'");
    }

    private static JsonObject Group(string name, string version, bool disabled, int up, long created) => new()
    {
        ["name"] = name,
        ["isDisabled"] = disabled,
        ["createdTime"] = created,
        ["capacity"] = new JsonObject { ["min"] = 2, ["max"] = 2, ["desired"] = 2 },
        ["instanceCounts"] = new JsonObject { ["up"] = up, ["total"] = 2 },
        ["artifact"] = new JsonObject { ["version"] = version },
    };
}

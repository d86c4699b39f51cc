using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Pipelines;

/// <summary>The deploy strategies' options, run by the real engine on the real local provider.</summary>
[Collection(ProcessCollection.Name)]
public sealed class StrategyOptionTests(DemoServiceFixture demo)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private async Task DeployAsync(PipelineHarness harness, string version, string strategy = "none", int desired = 1)
    {
        var run = await harness.RunAsync(PipelineHarness.DeployPipeline(PipelineHarness.Cluster(demo, "staging", version, strategy, desired)));
        run.Status.ShouldBe(ExecutionStatus.Succeeded, $"deploying {version}");
    }

    [Fact]
    public async Task Custom_strategy_runs_the_strategy_pipeline_with_the_deployed_and_source_server_groups_as_parameters()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await harness.SavePipelineAsync("promote", new JsonObject
        {
            ["stages"] = new JsonArray(
                new JsonObject
                {
                    ["refId"] = "1", ["type"] = "resizeServerGroup", ["name"] = "Grow deployed", ["credentials"] = "${parameters.account}",
                    ["serverGroupName"] = "${parameters.deployedServerGroup}", ["action"] = "scale_exact",
                    ["capacity"] = new JsonObject { ["min"] = 2, ["max"] = 2, ["desired"] = 2 },
                },
                new JsonObject
                {
                    ["refId"] = "2", ["requisiteStageRefIds"] = new JsonArray("1"), ["type"] = "disableServerGroup", ["name"] = "Disable source",
                    ["credentials"] = "${parameters.account}", ["serverGroupName"] = "${parameters.sourceServerGroup}",
                }),
        }.ToJsonString());
        await DeployAsync(harness, "v1");
        var cluster = PipelineHarness.Cluster(demo, "staging", "v2", strategy: "custom");
        cluster["strategyApplication"] = "demo";
        cluster["strategyPipeline"] = "promote";
        cluster["pipelineParameters"] = new JsonObject { ["reason"] = "test" };

        var run = await harness.RunAsync(PipelineHarness.DeployPipeline(cluster));

        run.Status.ShouldBe(ExecutionStatus.Succeeded, PipelineHarness.Errors(run.Stages.Last()));
        var strategy = PipelineHarness.Stage(run, "Run strategy pipeline");
        strategy.Status.ShouldBe(ExecutionStatus.Succeeded);
        var parameters = strategy.Context["pipelineParameters"]!;
        parameters["deployedServerGroup"]!.GetValue<string>().ShouldBe("demo-web-v001");
        parameters["sourceServerGroup"]!.GetValue<string>().ShouldBe("demo-web-v000");
        parameters["strategy"]!.GetValue<bool>().ShouldBeTrue();
        parameters["reason"]!.GetValue<string>().ShouldBe("test");
        var deployed = await harness.ServerGroups.GetAsync("staging", "demo-web-v001", None);
        deployed!.Capacity.Desired.ShouldBe(2);
        deployed.Instances.Up.ShouldBe(2);
        deployed.Enabled.ShouldBeTrue();
        (await harness.ServerGroups.GetAsync("staging", "demo-web-v000", None))!.Enabled.ShouldBeFalse();
    }

    [Fact]
    public async Task Red_black_with_max_remaining_asgs_destroys_the_older_groups_and_waits_before_disable_and_scale_down()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await DeployAsync(harness, "v0");
        await DeployAsync(harness, "v1", "redblack");
        await DeployAsync(harness, "v2", "redblack");
        var cluster = PipelineHarness.Cluster(demo, "staging", "v3", strategy: "redblack");
        cluster["maxRemainingAsgs"] = 2;
        cluster["delayBeforeDisableSec"] = 1;
        cluster["scaleDown"] = true;
        cluster["delayBeforeScaleDownSec"] = 1;

        var run = await harness.RunAsync(PipelineHarness.DeployPipeline(cluster));

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        var groups = await harness.ServerGroups.ListClusterAsync("demo", "staging", "demo-web", None);
        groups.Select(g => g.Name).ShouldBe(["demo-web-v003", "demo-web-v002"]);
        groups[0].Enabled.ShouldBeTrue();
        groups[1].Enabled.ShouldBeFalse();
        groups[1].Capacity.Desired.ShouldBe(0);
        var names = run.Stages.Select(s => s.Name).ToList();
        names.IndexOf("shrinkCluster").ShouldBeLessThan(names.IndexOf("Wait Before Disable"));
        names.IndexOf("Wait Before Disable").ShouldBeLessThan(names.IndexOf("disableCluster"));
        names.IndexOf("disableCluster").ShouldBeLessThan(names.IndexOf("Wait Before Scale Down"));
        names.IndexOf("Wait Before Scale Down").ShouldBeLessThan(names.IndexOf("scaleDownCluster"));
        PipelineHarness.Stage(run, "Wait Before Disable").Context["waitTime"]!.GetValue<double>().ShouldBe(1);
        PipelineHarness.Stage(run, "Wait Before Scale Down").Context["waitTime"]!.GetValue<double>().ShouldBe(1);
        var disable = PipelineHarness.Stage(run, "disableCluster");
        disable.StartTime.ShouldNotBeNull();
        disable.StartTime.Value.ShouldBeGreaterThanOrEqualTo(PipelineHarness.Stage(run, "Wait Before Disable").EndTime!.Value);
    }

    [Fact]
    public async Task Rolling_red_black_runs_the_validation_pipeline_after_each_step_before_the_source_shrinks()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await harness.SavePipelineAsync("validate", Validation());
        await DeployAsync(harness, "v1", desired: 2);
        var cluster = RollingWithValidation("yes");

        var run = await harness.RunAsync(PipelineHarness.DeployPipeline(cluster));

        run.Status.ShouldBe(ExecutionStatus.Succeeded, string.Join("; ", run.Stages.Select(PipelineHarness.Errors)));
        foreach (var (step, rest) in new[] { ("50", "50"), ("100", "0") })
        {
            var grow = PipelineHarness.Stage(run, $"Grow to {step}% of Desired Size");
            var validate = PipelineHarness.Stage(run, $"Validate at {step}%");
            var shrink = PipelineHarness.Stage(run, $"Shrink demo-web-v000 to {rest}%");
            validate.Status.ShouldBe(ExecutionStatus.Succeeded);
            validate.StartTime!.Value.ShouldBeGreaterThanOrEqualTo(grow.EndTime!.Value);
            shrink.StartTime!.Value.ShouldBeGreaterThanOrEqualTo(validate.EndTime!.Value);
        }

        var groups = await harness.ServerGroups.ListClusterAsync("demo", "staging", "demo-web", None);
        groups[0].Capacity.Desired.ShouldBe(2);
        groups[0].Enabled.ShouldBeTrue();
        groups[1].Enabled.ShouldBeFalse();
        groups[1].Capacity.Desired.ShouldBe(0);
    }

    [Fact]
    public async Task Rolling_red_black_stops_at_a_failing_validation_pipeline_and_leaves_the_source_serving_at_full_size()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await harness.SavePipelineAsync("validate", Validation());
        await DeployAsync(harness, "v1", desired: 2);

        var run = await harness.RunAsync(PipelineHarness.DeployPipeline(RollingWithValidation("no")));

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        PipelineHarness.Stage(run, "Validate at 50%").Status.ShouldBe(ExecutionStatus.Terminal);
        run.Stages.Where(s => s.Name is "Shrink demo-web-v000 to 50%" or "Grow to 100% of Desired Size" or "Disable demo-web-v000")
            .ShouldAllBe(s => s.Status == ExecutionStatus.NotStarted);
        var source = await harness.ServerGroups.GetAsync("staging", "demo-web-v000", None);
        source!.Enabled.ShouldBeTrue();
        source.Capacity.Desired.ShouldBe(2);
        source.Instances.Up.ShouldBe(2);
        var deployed = await harness.ServerGroups.GetAsync("staging", "demo-web-v001", None);
        deployed!.Capacity.Desired.ShouldBe(1);
    }

    [Fact]
    public async Task With_rollback_on_failure_a_failed_rolling_red_black_puts_the_source_back_and_disables_the_new_group()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await harness.SavePipelineAsync("validate", Validation());
        await DeployAsync(harness, "v1", desired: 2);
        var cluster = RollingWithValidation("no");
        cluster["rollback"] = new JsonObject { ["onFailure"] = true };

        var run = await harness.RunAsync(PipelineHarness.DeployPipeline(cluster));

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        var rollback = PipelineHarness.Stage(run, "Rollback demo-web-v001 on failure");
        rollback.Status.ShouldBe(ExecutionStatus.Succeeded, PipelineHarness.Errors(rollback));
        rollback.Context["rollbackContext"]!["restoreServerGroupName"]!.GetValue<string>().ShouldBe("demo-web-v000");
        var source = await harness.ServerGroups.GetAsync("staging", "demo-web-v000", None);
        source!.Enabled.ShouldBeTrue();
        source.Capacity.Desired.ShouldBe(2);
        source.Instances.Up.ShouldBe(2);
        (await harness.ServerGroups.GetAsync("staging", "demo-web-v001", None))!.Enabled.ShouldBeFalse();
    }

    [Fact]
    public async Task Rolling_red_black_under_continuous_load_fails_no_request()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var v1 = PipelineHarness.Cluster(demo, "staging", "v1", desired: 2);
        v1["loadBalancers"] = new JsonArray("web");
        (await harness.RunAsync(PipelineHarness.DeployPipeline(v1))).Status.ShouldBe(ExecutionStatus.Succeeded);
        var url = (await harness.LoadBalancers.GetAsync("staging", "web", None))!.Url;
        await using var load = ContinuousLoad.Start(new Uri(url, "/?delayMs=300"), workers: 4);
        await load.AnsweredAsync(8, "v1 answering through the load balancer");
        var v2 = PipelineHarness.Cluster(demo, "staging", "v2", strategy: "rollingredblack", desired: 2);
        v2["loadBalancers"] = new JsonArray("web");
        v2["targetPercentages"] = new JsonArray(50, 100);

        var run = await harness.RunAsync(PipelineHarness.DeployPipeline(v2));
        var afterRollout = load.Sent;
        await load.AnsweredAsync(8, "v2 answering after the rollout");
        await load.StopAsync();

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        load.Failures.ShouldBeEmpty();
        load.Answers.Select(a => a.Version).Distinct().Order().ShouldBe(["v1", "v2"]);
        load.Answers.Where(a => a.SentBefore >= afterRollout).ShouldAllBe(a => a.Version == "v2");
    }

    private static string Validation() => new JsonObject
    {
        ["parameterConfig"] = new JsonArray(new JsonObject { ["name"] = "healthy", ["default"] = "yes" }),
        ["stages"] = new JsonArray(new JsonObject
        {
            ["refId"] = "1", ["type"] = "checkPreconditions", ["name"] = "Check",
            ["preconditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "expression", ["failPipeline"] = true, ["context"] = new JsonObject { ["expression"] = "${parameters.healthy == 'yes'}" },
            }),
        }),
    }.ToJsonString();

    private JsonObject RollingWithValidation(string healthy)
    {
        var cluster = PipelineHarness.Cluster(demo, "staging", "v2", strategy: "rollingredblack", desired: 2);
        cluster["targetPercentages"] = new JsonArray(50, 100);
        cluster["pipelineBeforeCleanup"] = new JsonObject
        {
            ["application"] = "demo", ["pipelineId"] = "validate", ["pipelineParameters"] = new JsonObject { ["healthy"] = healthy },
        };
        return cluster;
    }
}

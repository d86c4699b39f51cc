using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Pipelines;

[Collection(ProcessCollection.Name)]
public sealed class DeployStrategyTests(DemoServiceFixture demo)
{
    [Fact]
    public async Task Deploy_with_strategy_none_starts_a_healthy_server_group_and_outputs_its_name()
    {
        await using var harness = await PipelineHarness.StartAsync();

        var run = await harness.RunAsync(PipelineHarness.DeployPipeline(PipelineHarness.Cluster(demo, "staging", "v1")));

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        var deploy = PipelineHarness.Stage(run, "Deploy");
        deploy.Outputs["deploy.server.groups"]!.ToJsonString().ShouldBe("""{"staging":["demo-web-v000"]}""");
        deploy.Outputs["deploy.account.name"]!.GetValue<string>().ShouldBe("staging");
        deploy.Outputs["artifacts"]![0]!["version"]!.GetValue<string>().ShouldBe("v1");
        PipelineHarness.Stage(run, "Deploy in staging").Status.ShouldBe(ExecutionStatus.Succeeded);
        var group = await harness.ServerGroups.GetAsync("staging", "demo-web-v000", CancellationToken.None);
        group!.Instances.Up.ShouldBe(1);
    }

    [Fact]
    public async Task Highlander_destroys_every_older_server_group()
    {
        await using var harness = await PipelineHarness.StartAsync();
        (await harness.RunAsync(PipelineHarness.DeployPipeline(PipelineHarness.Cluster(demo, "staging", "v1")))).Status.ShouldBe(ExecutionStatus.Succeeded);

        var run = await harness.RunAsync(PipelineHarness.DeployPipeline(PipelineHarness.Cluster(demo, "staging", "v2", strategy: "highlander")));

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        var cluster = await harness.ServerGroups.ListClusterAsync("demo", "staging", "demo-web", CancellationToken.None);
        cluster.Select(g => g.Name).ShouldBe(["demo-web-v001"]);
    }

    [Fact]
    public async Task A_build_that_never_becomes_healthy_times_out_fails_the_stage_and_is_destroyed()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var cluster = PipelineHarness.Cluster(demo, "staging", "bad");
        cluster["healthCheck"]!["path"] = "/does-not-exist";
        cluster["stageTimeoutMs"] = 3000;

        var run = await harness.RunAsync(PipelineHarness.DeployPipeline(cluster));

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        var create = PipelineHarness.Stage(run, "Deploy in staging");
        create.Status.ShouldBe(ExecutionStatus.Terminal);
        PipelineHarness.Errors(create).ShouldContain("demo-web-v000 did not become healthy");
        (await harness.ServerGroups.GetAsync("staging", "demo-web-v000", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Rolling_red_black_grows_the_new_server_group_in_steps_and_disables_the_old_one()
    {
        await using var harness = await PipelineHarness.StartAsync();
        (await harness.RunAsync(PipelineHarness.DeployPipeline(PipelineHarness.Cluster(demo, "staging", "v1", desired: 2)))).Status.ShouldBe(ExecutionStatus.Succeeded);
        var cluster = PipelineHarness.Cluster(demo, "staging", "v2", strategy: "rollingredblack", desired: 2);
        cluster["targetPercentages"] = new JsonArray(50, 100);

        var run = await harness.RunAsync(PipelineHarness.DeployPipeline(cluster));

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        run.Stages.Select(s => s.Name).ShouldContain("Grow to 50% of Desired Size");
        run.Stages.Select(s => s.Name).ShouldContain("Grow to 100% of Desired Size");
        var groups = await harness.ServerGroups.ListClusterAsync("demo", "staging", "demo-web", CancellationToken.None);
        groups[0].Name.ShouldBe("demo-web-v001");
        groups[0].Enabled.ShouldBeTrue();
        groups[0].Capacity.Desired.ShouldBe(2);
        groups[0].Instances.Up.ShouldBe(2);
        groups[1].Enabled.ShouldBeFalse();
        groups[1].Capacity.Desired.ShouldBe(0);
    }
}

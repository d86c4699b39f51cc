using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Pipelines;

[Collection(ProcessCollection.Name)]
public sealed class ServerGroupOperationTests(DemoServiceFixture demo)
{
    private static string Single(JsonObject stage) =>
        new JsonObject { ["stages"] = new JsonArray(stage) }.ToJsonString();

    [Fact]
    public async Task Disabling_the_only_server_group_of_a_guarded_cluster_is_refused_with_the_guard_message()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await harness.SaveTrafficGuardsAsync("demo", """[{"account": "prod", "stack": "web", "detail": "", "enabled": true}]""");
        (await harness.RunAsync(PipelineHarness.DeployPipeline(PipelineHarness.Cluster(demo, "prod", "v1")))).Status.ShouldBe(ExecutionStatus.Succeeded);

        var run = await harness.RunAsync(Single(new JsonObject
        {
            ["refId"] = "1", ["type"] = "disableServerGroup", ["name"] = "Disable", ["credentials"] = "prod", ["cluster"] = "demo-web", ["target"] = "current_asg_dynamic",
        }));

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        PipelineHarness.Errors(PipelineHarness.Stage(run, "Disable")).ShouldContain("has traffic guards enabled");
        (await harness.ServerGroups.GetAsync("prod", "demo-web-v000", CancellationToken.None))!.Enabled.ShouldBeTrue();
    }

    [Fact]
    public async Task Find_image_in_staging_promotes_the_same_artifact_to_prod()
    {
        await using var harness = await PipelineHarness.StartAsync();
        (await harness.RunAsync(PipelineHarness.DeployPipeline(PipelineHarness.Cluster(demo, "staging", "v7")))).Status.ShouldBe(ExecutionStatus.Succeeded);
        var prod = PipelineHarness.Cluster(demo, "prod", "v7", stack: "prod");
        prod.Remove("artifact");
        var promote = new JsonObject
        {
            ["stages"] = new JsonArray(
                new JsonObject { ["refId"] = "1", ["type"] = "findImage", ["name"] = "Find", ["credentials"] = "staging", ["cluster"] = "demo-web", ["selectionStrategy"] = "NEWEST" },
                new JsonObject { ["refId"] = "2", ["requisiteStageRefIds"] = new JsonArray("1"), ["type"] = "deploy", ["name"] = "Deploy", ["clusters"] = new JsonArray(prod) }),
        };

        var run = await harness.RunAsync(promote.ToJsonString());

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        PipelineHarness.Stage(run, "Find").Outputs["deploymentDetails"]![0]!["sourceServerGroup"]!.GetValue<string>().ShouldBe("demo-web-v000");
        var promoted = await harness.ServerGroups.GetAsync("prod", "demo-prod-v000", CancellationToken.None);
        promoted!.Artifact.Version.ShouldBe("v7");
        promoted.Artifact.Reference.ShouldBe(demo.BundleFolder);
    }

    [Fact]
    public async Task Rollback_to_the_previous_server_group_restores_its_capacity_and_disables_the_current_one()
    {
        await using var harness = await PipelineHarness.StartAsync();
        (await harness.RunAsync(PipelineHarness.DeployPipeline(PipelineHarness.Cluster(demo, "staging", "v1")))).Status.ShouldBe(ExecutionStatus.Succeeded);
        var v2 = PipelineHarness.Cluster(demo, "staging", "v2", strategy: "redblack");
        v2["scaleDown"] = true;
        (await harness.RunAsync(PipelineHarness.DeployPipeline(v2))).Status.ShouldBe(ExecutionStatus.Succeeded);

        var run = await harness.RunAsync(Single(new JsonObject
        {
            ["refId"] = "1", ["type"] = "rollbackServerGroup", ["name"] = "Rollback", ["credentials"] = "staging", ["cluster"] = "demo-web", ["rollbackType"] = "PREVIOUS",
        }));

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        var restored = await harness.ServerGroups.GetAsync("staging", "demo-web-v000", CancellationToken.None);
        restored!.Enabled.ShouldBeTrue();
        restored.Instances.Up.ShouldBe(1);
        (await harness.ServerGroups.GetAsync("staging", "demo-web-v001", CancellationToken.None))!.Enabled.ShouldBeFalse();
    }

    [Fact]
    public async Task Resize_scale_up_by_number_waits_until_the_new_instances_are_healthy()
    {
        await using var harness = await PipelineHarness.StartAsync();
        (await harness.RunAsync(PipelineHarness.DeployPipeline(PipelineHarness.Cluster(demo, "staging", "v1")))).Status.ShouldBe(ExecutionStatus.Succeeded);

        var run = await harness.RunAsync(Single(new JsonObject
        {
            ["refId"] = "1", ["type"] = "resizeServerGroup", ["name"] = "Resize", ["credentials"] = "staging", ["cluster"] = "demo-web",
            ["target"] = "current_asg_dynamic", ["action"] = "scale_up", ["scaleNum"] = 1,
        }));

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        var group = await harness.ServerGroups.GetAsync("staging", "demo-web-v000", CancellationToken.None);
        group!.Capacity.Desired.ShouldBe(2);
        group.Instances.Up.ShouldBe(2);
    }

    [Fact]
    public async Task Run_job_outputs_exit_code_logs_and_properties_and_a_failing_job_is_terminal()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var bundle = Directory.CreateDirectory(Path.Combine(harness.Folder, "job")).FullName;
        JsonObject Job(string name, string script) => new()
        {
            ["refId"] = name, ["type"] = "runJob", ["name"] = name, ["account"] = "staging", ["bundle"] = bundle,
            ["command"] = "/bin/sh", ["args"] = new JsonArray("-c", script), ["env"] = new JsonObject { ["DB"] = "orders" }, ["timeout"] = 20,
        };

        var ok = await harness.RunAsync(Single(Job("migrate", "echo migrating $DB; echo SPINNAKER_PROPERTY_SCHEMA=42")));
        var failed = await harness.RunAsync(Single(Job("broken", "echo oops; exit 3")));

        ok.Status.ShouldBe(ExecutionStatus.Succeeded);
        var outputs = PipelineHarness.Stage(ok, "migrate").Outputs;
        outputs["jobStatus"]!["exitCode"]!.GetValue<int>().ShouldBe(0);
        outputs["logs"]!.GetValue<string>().ShouldContain("migrating orders");
        outputs["schema"]!.GetValue<string>().ShouldBe("42");
        failed.Status.ShouldBe(ExecutionStatus.Terminal);
        PipelineHarness.Errors(PipelineHarness.Stage(failed, "broken")).ShouldContain("exited with code 3");
    }
}

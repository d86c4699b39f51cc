using System.Text.Json.Nodes;
using Mizzen.Canary.Stage;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;

namespace Mizzen.Canary.Tests.Stage;

public sealed class CanaryDeploymentsTests
{
    private const string Deployments = """
        "deployments":{"baseline":{"cloudProvider":"local","account":"local","cluster":"shop-prod"},
          "serverGroupPairs":[{"control":{"application":"shop","stack":"prod","freeFormDetails":"baseline","bundle":"ignored"},
                               "experiment":{"application":"shop","stack":"prod","freeFormDetails":"canary","bundle":"/bundles/v2"}}],
          "delayBeforeCleanup":"PT30S","trafficWeights":{"loadBalancer":"shop-prod","control":10,"experiment":10}}
        """;

    private static StageExecution Stage(string configId = "c") => CanaryStageKit.Stage(
        $$"""{"canaryConfig":{"canaryConfigId":"{{configId}}","lifetimeDuration":"PT1M"},{{Deployments}}}""");

    private static StageExecution Child(StageExecution parent, string role, string serverGroup, SyntheticStageOwner owner = SyntheticStageOwner.StageBefore) => new()
    {
        Id = "01CHILD" + role.ToUpperInvariant(),
        Type = "createServerGroup",
        Name = role,
        ParentStageId = parent.Id,
        SyntheticStageOwner = owner,
        Status = ExecutionStatus.Succeeded,
        Context = new JsonObject { [CanaryDeployments.RoleKey] = role },
        Outputs = new JsonObject { ["deploymentDetails"] = new JsonArray(new JsonObject { ["serverGroup"] = serverGroup }) },
    };

    [Fact]
    public void Before_stages_find_the_baseline_artifact_deploy_control_and_experiment_then_shift_traffic()
    {
        var graph = new StageGraph();
        var stage = Stage();

        new KayentaCanaryStage().BuildBeforeStages(CanaryStageKit.Execution(stage), stage, graph);

        graph.Stages.Select(s => s.Type).ShouldBe(["findImage", "createServerGroup", "createServerGroup", "setTrafficWeights"]);
        graph.Stages.Skip(1).Select(s => s.After).ShouldBe(graph.Stages.Take(3).ToList());
        graph.Stages[0].Context["cluster"].AsString().ShouldBe("shop-prod");
        graph.Stages[1].Context.ContainsKey("bundle").ShouldBeFalse();
        graph.Stages[2].Context["bundle"].AsString().ShouldBe("/bundles/v2");
        var targets = graph.Stages[3].Context["targets"]!.AsArray();
        targets.Select(t => t!["weight"].AsLong()).ShouldBe([80L, 10, 10]);
        targets[2]!["serverGroup"].AsString().ShouldBe("${#stageByRefId('2<3').outputs.deploymentDetails[0].serverGroup}");
    }

    [Fact]
    public async Task Scopes_default_to_the_deployed_server_groups_and_their_account()
    {
        using var kit = new CanaryStageKit();
        var id = await kit.SaveConfigAsync();
        var stage = Stage(id);
        var execution = CanaryStageKit.Execution(stage, Child(stage, "baseline", "shop-prod-v007"), Child(stage, "control", "shop-prod-baseline-v001"), Child(stage, "experiment", "shop-prod-canary-v001"));
        await kit.RunAsync(kit.Intervals, stage, execution);
        kit.Clock.Advance(TimeSpan.FromSeconds(90));

        (await kit.RunAsync(kit.Intervals, stage, execution)).Status.ShouldBe(Mizzen.Core.Model.ExecutionStatus.Succeeded);

        kit.Source.Queries.Select(q => q.Scope).Distinct().Order().ShouldBe(["shop-prod-baseline-v001", "shop-prod-canary-v001"]);
        kit.Source.Queries.ShouldAllBe(q => q.Location == "local");
    }

    [Fact]
    public void Cleanup_waits_restores_traffic_to_the_baseline_and_destroys_both_canary_server_groups_once()
    {
        var stage = Stage();
        var execution = CanaryStageKit.Execution(stage, Child(stage, "baseline", "shop-prod-v007"), Child(stage, "control", "shop-prod-baseline-v001"), Child(stage, "experiment", "shop-prod-canary-v001"));
        var definition = new KayentaCanaryStage();

        var onFailure = new StageGraph();
        definition.BuildOnFailureStages(execution, stage, onFailure);

        onFailure.Stages.Select(s => s.Type).ShouldBe(["wait", "setTrafficWeights", "destroyServerGroup", "destroyServerGroup"]);
        onFailure.Stages[0].Context["waitTime"].AsLong().ShouldBe(30);
        onFailure.Stages[1].Context["targets"]!.ToJsonString().ShouldBe("""[{"serverGroupName":"shop-prod-v007","serverGroup":"shop-prod-v007","weight":100}]""");
        onFailure.Stages.Skip(2).Select(s => s.Context["serverGroupName"].AsString()).ShouldBe(["shop-prod-baseline-v001", "shop-prod-canary-v001"]);

        stage.Context["afterStagesPlanned"] = true;
        var again = new StageGraph();
        definition.BuildOnFailureStages(execution, stage, again);
        again.Stages.ShouldBeEmpty();
    }
}

using System.Text.Json.Nodes;
using Mizzen.Canary.Stage;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;

namespace Mizzen.Canary.Tests.Stage;

/// <summary>The <c>deployments</c> block on Kubernetes: Deployments by deployManifest and an Istio VirtualService split by subsets.</summary>
public sealed class KubernetesCanaryDeploymentsTests
{
    private static StageExecution Stage() => CanaryStageKit.Stage("""
        {"canaryConfig":{"canaryConfigId":"c","lifetimeDuration":"PT10M"},
         "deployments":{"baseline":{"cloudProvider":"kubernetes","account":"prod-cluster","cluster":"deployment web"},
           "serverGroupPairs":[{"control":{"manifests":[{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web-baseline"}}]},
                                "experiment":{"manifests":[{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web-canary"}}]}}],
           "trafficWeights":{"loadBalancer":"virtualService web","control":5,"experiment":5,"subsets":{"production":"primary"}}}}
        """);

    private static StageExecution Deployed(StageExecution parent, string role, string name) => new()
    {
        Id = "01DEPLOY" + role.ToUpperInvariant(),
        Type = "deployManifest",
        Name = role,
        ParentStageId = parent.Id,
        SyntheticStageOwner = SyntheticStageOwner.StageBefore,
        Status = ExecutionStatus.Succeeded,
        Context = new JsonObject { [CanaryDeployments.RoleKey] = role, ["account"] = "prod-cluster" },
        Outputs = new JsonObject { ["outputs.manifestNamesByNamespace"] = new JsonObject { ["prod"] = new JsonArray("configMap web-config-v001", $"deployment {name}") } },
    };

    [Fact]
    public void Before_stages_deploy_control_and_experiment_manifests_then_split_the_virtual_service_by_subset()
    {
        var graph = new StageGraph();
        var stage = Stage();

        new KayentaCanaryStage().BuildBeforeStages(CanaryStageKit.Execution(stage), stage, graph);

        graph.Stages.Select(s => s.Type).ShouldBe(["deployManifest", "deployManifest", "setTrafficWeights"]);
        graph.Stages[0].Context["account"].AsString().ShouldBe("prod-cluster");
        graph.Stages[1].Context["manifests"]![0]!["metadata"]!["name"].AsString().ShouldBe("web-canary");
        graph.Stages[2].Context["loadBalancer"].AsString().ShouldBe("virtualService web");
        graph.Stages[2].Context["targets"]!.AsArray().Select(t => (t!["serverGroup"].AsString(), t["weight"].AsLong()))
            .ShouldBe([("primary", 90L), ("baseline", 5L), ("canary", 5L)]);
    }

    [Fact]
    public void Cleanup_restores_the_production_subset_and_deletes_the_deployed_workloads_only()
    {
        var stage = Stage();
        var execution = CanaryStageKit.Execution(stage, Deployed(stage, "control", "web-baseline"), Deployed(stage, "experiment", "web-canary"));
        var after = new StageGraph();

        new KayentaCanaryStage().BuildOnFailureStages(execution, stage, after);

        after.Stages.Select(s => s.Type).ShouldBe(["setTrafficWeights", "deleteManifest", "deleteManifest"]);
        after.Stages[0].Context["targets"]!.ToJsonString().ShouldBe("""[{"serverGroupName":"primary","serverGroup":"primary","weight":100}]""");
        after.Stages.Skip(1).Select(s => (s.Context["manifestName"].AsString(), s.Context["location"].AsString()))
            .ShouldBe([("deployment web-baseline", "prod"), ("deployment web-canary", "prod")]);
        CanaryServerGroupOutputs.ServerGroupOf(execution.Stages.Single(s => s.Name == "experiment")).ShouldBe("web-canary");
    }
}

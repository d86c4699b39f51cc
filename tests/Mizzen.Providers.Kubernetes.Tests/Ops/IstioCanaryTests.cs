using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Clouds;
using Mizzen.Providers.Kubernetes.Istio;
using Mizzen.Providers.Kubernetes.Tests.Infrastructure;

namespace Mizzen.Providers.Kubernetes.Tests.Ops;

/// <summary>
/// Descartes Labs' canary on Kubernetes: stable and canary Deployments behind one Istio VirtualService, 10 % to the canary for 10
/// minutes, then 33 % — each split read back from the VirtualService the fake API server stored.
/// </summary>
public sealed class IstioCanaryTests : IAsyncLifetime
{
    private KubernetesPipelineHarness engine = null!;

    public async Task InitializeAsync() => engine = await KubernetesPipelineHarness.StartAsync(accountName: "k8s", application: "app");

    public async Task DisposeAsync() => await engine.DisposeAsync();

    [Fact]
    public async Task Ten_percent_for_ten_minutes_then_thirty_three_percent_is_what_the_virtual_service_routes()
    {
        var run = await engine.RunAsync("""
            {"stages":[
              {"refId":"1","type":"deployManifest","name":"deploy","account":"k8s","cloudProvider":"kubernetes","moniker":{"app":"web"},"skipExpressionEvaluation":true,
               "manifests":[
                 {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web-stable","namespace":"default"},
                  "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web","track":"stable"}},
                          "template":{"metadata":{"labels":{"app":"web","track":"stable"}},"spec":{"containers":[{"name":"web","image":"registry.example.com/web:1.0"}]}}}},
                 {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web-canary","namespace":"default"},
                  "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web","track":"canary"}},
                          "template":{"metadata":{"labels":{"app":"web","track":"canary"}},"spec":{"containers":[{"name":"web","image":"registry.example.com/web:2.0"}]}}}},
                 {"apiVersion":"networking.istio.io/v1beta1","kind":"DestinationRule","metadata":{"name":"web","namespace":"default"},
                  "spec":{"host":"web.default.svc.cluster.local","subsets":[{"name":"stable","labels":{"track":"stable"}},{"name":"canary","labels":{"track":"canary"}}]}},
                 {"apiVersion":"networking.istio.io/v1beta1","kind":"VirtualService","metadata":{"name":"web","namespace":"default"},
                  "spec":{"hosts":["web.default.svc.cluster.local"],"http":[{"route":[{"destination":{"host":"web.default.svc.cluster.local","subset":"stable"},"weight":100}]}]}}]},
              {"refId":"2","requisiteStageRefIds":["1"],"type":"setTrafficWeights","name":"canary 10%","cloudProvider":"kubernetes","account":"k8s",
               "loadBalancer":"virtualService default/web","targets":[{"serverGroup":"stable","weight":90},{"serverGroup":"canary","weight":10}]},
              {"refId":"3","requisiteStageRefIds":["2"],"type":"wait","name":"observe","waitTime":600},
              {"refId":"4","requisiteStageRefIds":["3"],"type":"setTrafficWeights","name":"canary 33%","cloudProvider":"kubernetes","account":"k8s",
               "loadBalancer":"virtualService default/web","targets":[{"serverGroup":"stable","weight":67},{"serverGroup":"canary","weight":33}]}
            ]}
            """);

        run.Status.ShouldBe(ExecutionStatus.Succeeded, ManifestOperationTests.Describe(run));
        var splits = engine.Server.Requests
            .Where(r => r.Verb == "patch" && r.Resource == "virtualservices" && r.Name == "web" && r.ContentType?.StartsWith("application/merge-patch+json", StringComparison.Ordinal) == true)
            .Select(r => VirtualServiceRoutes.Weights(new JsonObject { ["spec"] = JsonNode.Parse(r.Body)!["spec"]!.DeepClone() }))
            .ToList();
        splits.ShouldBe([
            [new WeightedTarget("stable", 90), new WeightedTarget("canary", 10)],
            [new WeightedTarget("stable", 67), new WeightedTarget("canary", 33)],
        ]);
        var stored = engine.Server.Get("networking.istio.io/v1beta1", "VirtualService", "default", "web")!;
        VirtualServiceRoutes.Weights(stored).ShouldBe([new WeightedTarget("stable", 67), new WeightedTarget("canary", 33)]);

        var tenPercent = run.Stages.Single(s => s.Name == "canary 10%");
        var thirtyThree = run.Stages.Single(s => s.Name == "canary 33%");
        (thirtyThree.StartTime!.Value - tenPercent.EndTime!.Value).ShouldBeGreaterThanOrEqualTo(600_000);
        tenPercent.Outputs["loadBalancer"]!["targets"]!.AsArray().Count.ShouldBe(2);
    }
}

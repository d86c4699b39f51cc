using Istio = Mizzen.Providers.Kubernetes.Istio;
using Mizzen.Core.Model;
using Mizzen.Providers.Kubernetes.Tests.Infrastructure;

namespace Mizzen.Providers.Kubernetes.Tests.Ops;

/// <summary>disableManifest / enableManifest through Service selectors, and setTrafficWeights on an Istio VirtualService.</summary>
public sealed class TrafficOperationTests : IAsyncLifetime
{
    private KubernetesPipelineHarness engine = null!;

    public async Task InitializeAsync() => engine = await KubernetesPipelineHarness.StartAsync(accountName: "k8s", application: "app");

    public async Task DisposeAsync() => await engine.DisposeAsync();

    [Fact]
    public async Task Disable_takes_a_replica_set_and_its_pods_out_of_the_service_and_enable_puts_them_back()
    {
        await engine.SeedAsync(Objects.Service("web", "serves-web"), Objects.TrafficReplicaSet("web-v001"));
        Pods().Count.ShouldBe(2);
        Pods().ShouldAllBe(p => p["metadata"]!["labels"]!["serves-web"] != null);

        var disabled = await engine.RunAsync("""
            {"stages":[{"refId":"1","type":"disableManifest","name":"disable","account":"k8s","manifestName":"replicaSet web-v001","location":"default"}]}
            """);

        disabled.Status.ShouldBe(ExecutionStatus.Succeeded, ManifestOperationTests.Describe(disabled));
        Template()["serves-web"].ShouldBeNull();
        Pods().ShouldAllBe(p => p["metadata"]!["labels"]!["serves-web"] == null && p["metadata"]!["labels"]!["app"] != null);

        var enabled = await engine.RunAsync("""
            {"stages":[{"refId":"1","type":"enableManifest","name":"enable","account":"k8s","manifestName":"replicaSet web-v001","location":"default","loadBalancers":["service web"]}]}
            """);

        enabled.Status.ShouldBe(ExecutionStatus.Succeeded, ManifestOperationTests.Describe(enabled));
        Template()["serves-web"]!.GetValue<string>().ShouldBe("true");
        Pods().Count.ShouldBe(2);
        Pods().ShouldAllBe(p => p["metadata"]!["labels"]!["serves-web"] != null);
        engine.Server.Requests.Where(r => r.Verb == "patch" && r.Resource == "pods").Count().ShouldBe(4); // each pod, once per operation
    }

    [Fact]
    public async Task Disable_without_a_declared_load_balancer_fails_naming_the_field()
    {
        var replicaSet = Objects.TrafficReplicaSet("web-v002");
        replicaSet["metadata"]!["annotations"]!.AsObject().Remove("traffic.spinnaker.io/load-balancers");
        await engine.SeedAsync(replicaSet);

        var run = await engine.RunAsync("""
            {"stages":[{"refId":"1","type":"disableManifest","name":"disable","account":"k8s","manifestName":"replicaSet web-v002","location":"default"}]}
            """);

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        ManifestOperationTests.Describe(run).ShouldContain("loadBalancers: replicaSet web-v002 in default (account k8s) names no load balancers");
    }

    [Fact]
    public async Task Set_traffic_weights_on_kubernetes_rewrites_the_virtual_services_catch_all_route()
    {
        await engine.SeedAsync(Objects.VirtualService());

        var run = await engine.RunAsync("""
            {"stages":[{"refId":"1","type":"setTrafficWeights","name":"weights","cloudProvider":"kubernetes","account":"k8s","loadBalancer":"virtualService web",
               "targets":[{"serverGroup":"stable","weight":80},{"serverGroup":"baseline","weight":10},{"serverGroup":"canary","weight":10}]}]}
            """);

        run.Status.ShouldBe(ExecutionStatus.Succeeded, ManifestOperationTests.Describe(run));
        var stored = engine.Server.Get("networking.istio.io/v1beta1", "VirtualService", "default", "web")!;
        Istio.VirtualServiceRoutes.Weights(stored).ShouldBe([new("stable", 80), new("baseline", 10), new("canary", 10)]);
        stored["spec"]!["http"]![0]!["route"]![0]!["weight"].ShouldBeNull(); // the header route to the canary is untouched
        run.Stages[0].Outputs["loadBalancer"]!.ToJsonString().ShouldContain("virtualService web");
    }

    private List<System.Text.Json.Nodes.JsonObject> Pods() => [.. engine.Server.List("v1", "Pod", "default")];

    private System.Text.Json.Nodes.JsonObject Template() =>
        engine.Server.Get("apps/v1", "ReplicaSet", "default", "web-v001")!["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
}

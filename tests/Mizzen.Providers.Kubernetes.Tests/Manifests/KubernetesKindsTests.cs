using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Tests.Manifests;

public sealed class KubernetesKindsTests
{
    [Theory]
    [InlineData("ConfigMap", true, SpinnakerKind.Configs, 50)]
    [InlineData("Secret", true, SpinnakerKind.Configs, 50)]
    [InlineData("ReplicaSet", true, SpinnakerKind.ServerGroups, 100)]
    [InlineData("Pod", true, SpinnakerKind.Instances, 100)]
    [InlineData("Deployment", false, SpinnakerKind.ServerGroupManagers, 100)]
    [InlineData("Service", false, SpinnakerKind.LoadBalancers, 70)]
    [InlineData("Namespace", false, SpinnakerKind.Unclassified, 0)]
    [InlineData("HorizontalPodAutoscaler", false, SpinnakerKind.Unclassified, 110)]
    public void The_table_follows_clouddrivers_handlers(string kind, bool versioned, SpinnakerKind spinnakerKind, int priority)
    {
        var entry = KubernetesKinds.Find(kind).ShouldNotBeNull();

        entry.Versioned.ShouldBe(versioned);
        entry.SpinnakerKind.ShouldBe(spinnakerKind);
        entry.DeployPriority.ShouldBe(priority);
    }

    [Fact]
    public void Kinds_are_found_by_clouddrivers_spelling_and_by_plural()
    {
        KubernetesKinds.Find("replicaSet")!.Kind.ShouldBe("ReplicaSet");
        KubernetesKinds.Find("replicasets")!.Kind.ShouldBe("ReplicaSet");
        KubernetesKinds.Find("Deployment")!.SpinnakerName.ShouldBe("deployment");
        KubernetesKinds.Find("apps/v1", "Deployment")!.ApiVersion.ShouldBe("apps/v1");
        KubernetesKinds.Find("v1", "Deployment").ShouldBeNull(); // served by apps, not core
        KubernetesKinds.Find("Frobnicator").ShouldBeNull();
    }

    [Fact]
    public void Priorities_put_namespaces_and_configs_before_services_before_workloads()
    {
        var order = new[] { "Deployment", "Service", "ConfigMap", "Namespace", "HorizontalPodAutoscaler" }
            .OrderBy(k => KubernetesKinds.Find(k)!.DeployPriority).ToList();

        order.ShouldBe(["Namespace", "ConfigMap", "Service", "Deployment", "HorizontalPodAutoscaler"]);
    }
}

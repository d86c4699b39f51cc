using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Clouds;
using Mizzen.Providers.Kubernetes.Tests.Infrastructure;
using static Mizzen.Providers.Kubernetes.Tests.Infrastructure.KubernetesPipelineHarness;
using static Mizzen.Providers.Kubernetes.Tests.Stages.DeployManifestTests;

namespace Mizzen.Providers.Kubernetes.Tests.Stages;

public sealed class ClusterReadsTests : IAsyncLifetime
{
    private KubernetesPipelineHarness harness = null!;

    private ICloudProvider Kubernetes => harness.Services.GetRequiredService<CloudProviderRegistry>().Get("kubernetes");

    public async Task InitializeAsync()
    {
        harness = await KubernetesPipelineHarness.StartAsync();
        (await harness.RunAsync(Pipeline(DeployStage(WebManifests())))).Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task A_deployments_replica_set_is_a_server_group_of_its_cluster_with_its_pods_up()
    {
        (await Kubernetes.Reads.ListApplicationsAsync(CancellationToken.None)).ShouldContain("shop");

        var groups = await Kubernetes.Reads.ListServerGroupsAsync("shop", CancellationToken.None);

        var group = groups.ShouldHaveSingleItem();
        group.CloudProvider.ShouldBe("kubernetes");
        group.Region.ShouldBe("prod");
        group.Kind.ShouldBe("replicaSet");
        group.Summary.Name.ShouldStartWith("replicaSet web-");
        group.Summary.Cluster.ShouldBe("deployment web");
        group.Summary.Application.ShouldBe("shop");
        group.Summary.Sequence.ShouldBe(1);
        group.Summary.Capacity.Desired.ShouldBe(2);
        group.Summary.LoadBalancers.ShouldBe(["service web"]);
        group.Summary.Instances.Up.ShouldBe(2);
        group.Instances.Count.ShouldBe(2);
        group.Instances.ShouldAllBe(i => i.Health == InstanceHealth.Up && i.Region == "prod" && i.ServerGroup == group.Summary.Name);
        group.Details["serverGroupManager"].ShouldBe("deployment web");

        (await Kubernetes.Reads.GetServerGroupAsync("fake", group.Summary.Name, CancellationToken.None))!.Summary.Name.ShouldBe(group.Summary.Name);
        (await Kubernetes.Reads.GetInstanceAsync("fake", group.Instances[0].Id, CancellationToken.None))!.Health.ShouldBe(InstanceHealth.Up);
    }

    [Fact]
    public async Task The_service_is_a_load_balancer_routing_to_the_server_group()
    {
        var lb = (await Kubernetes.Reads.ListLoadBalancersAsync("shop", CancellationToken.None)).ShouldHaveSingleItem();

        lb.Name.ShouldBe("service web");
        lb.Type.ShouldBe("service");
        lb.Port.ShouldBe(80);
        lb.ServerGroups.ShouldHaveSingleItem().UpInstances.ShouldBe(2);
        lb.Targets.ShouldHaveSingleItem().Percent.ShouldBe(100);
    }

    [Fact]
    public async Task A_crash_looping_pod_is_down_with_its_reason()
    {
        harness.Server.Controller.CrashLoop("registry.local/shop/crash:1", exitCode: 2);
        var stage = DeployStage(WebManifests(image: "registry.local/shop/crash:1"));
        stage["stageTimeoutMs"] = 20_000;
        await harness.RunAsync(Pipeline(stage));

        var groups = await Kubernetes.Reads.ListServerGroupsAsync("shop", CancellationToken.None);

        var crashing = groups.SelectMany(g => g.Instances).Where(i => i.State == "CrashLoopBackOff").ToList();
        crashing.ShouldNotBeEmpty();
        crashing.ShouldAllBe(i => i.Health == InstanceHealth.Down && i.Reason!.StartsWith("container web: CrashLoopBackOff"));
        groups.Sum(g => g.Summary.Instances.Crashed).ShouldBe(crashing.Count);
    }

    [Fact]
    public async Task Pod_logs_are_a_tail_of_the_chosen_container()
    {
        var pod = (await Kubernetes.Reads.ListServerGroupsAsync("shop", CancellationToken.None)).Single().Instances[0];
        harness.Server.SetPodLogs("prod", pod.Id, "web", "starting\nlistening on 8080\nready\n");

        var chunk = await Kubernetes.Reads.ReadLogAsync("fake", pod.Id, new LogRequest(LogStreamKind.Stdout, 2, null, 65536) { Container = "web" }, CancellationToken.None);

        chunk.Text.ShouldBe("listening on 8080\nready\n");
        await Should.ThrowAsync<ValidationException>(() => Kubernetes.Reads.ReadLogAsync("fake", pod.Id, new LogRequest(LogStreamKind.Stdout, 0, 10, 100), CancellationToken.None));
    }

    [Fact]
    public async Task Reads_after_the_cache_is_warm_send_no_request_to_the_api_server()
    {
        await Kubernetes.Reads.ListServerGroupsAsync("shop", CancellationToken.None);
        var before = harness.Server.Requests.Count(r => r.Verb is "get" or "list");

        for (var i = 0; i < 5; i++)
        {
            await Kubernetes.Reads.ListServerGroupsAsync("shop", CancellationToken.None);
            await Kubernetes.Reads.ListLoadBalancersAsync("shop", CancellationToken.None);
        }

        harness.Server.Requests.Count(r => r.Verb is "get" or "list").ShouldBe(before);
    }

    [Fact]
    public async Task Resize_scales_the_replica_set_through_its_scale_subresource()
    {
        var group = (await Kubernetes.Reads.ListServerGroupsAsync("shop", CancellationToken.None)).Single();

        await Kubernetes.ServerGroups.ResizeAsync("fake", group.Summary.Name, Capacity.Exactly(3), CancellationToken.None);

        harness.Server.Requests.ShouldContain(r => r.Verb == "patch" && r.Resource == "replicasets/scale");
    }
}

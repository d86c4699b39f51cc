using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Pipelines;

[Collection(ProcessCollection.Name)]
public sealed class RedBlackTests(DemoServiceFixture demo)
{
    [Fact]
    public async Task Red_black_under_continuous_load_fails_no_request_and_leaves_the_old_group_disabled()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var v1 = PipelineHarness.Cluster(demo, "staging", "v1");
        v1["loadBalancers"] = new JsonArray("web");
        var setup = new JsonObject
        {
            ["stages"] = new JsonArray(
                new JsonObject { ["refId"] = "1", ["type"] = "upsertLoadBalancer", ["name"] = "Create LB", ["account"] = "staging", ["loadBalancerName"] = "web" },
                new JsonObject { ["refId"] = "2", ["requisiteStageRefIds"] = new JsonArray("1"), ["type"] = "deploy", ["name"] = "Deploy", ["clusters"] = new JsonArray(v1) }),
        };
        (await harness.RunAsync(setup.ToJsonString())).Status.ShouldBe(ExecutionStatus.Succeeded);
        var url = (await harness.LoadBalancers.GetAsync("staging", "web", CancellationToken.None))!.Url;

        using var stop = new CancellationTokenSource();
        var failures = 0;
        var versions = new List<string>();
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var (status, version) = await HttpProbe.GetVersionAsync(url);
                    if (status != 200)
                    {
                        Interlocked.Increment(ref failures);
                    }

                    lock (versions)
                    {
                        versions.Add(version);
                    }
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });

        var v2 = PipelineHarness.Cluster(demo, "staging", "v2", strategy: "redblack");
        v2["loadBalancers"] = new JsonArray("web");
        v2["scaleDown"] = true;
        var run = await harness.RunAsync(PipelineHarness.DeployPipeline(v2));
        int Answered()
        {
            lock (versions)
            {
                return versions.Count;
            }
        }

        // The load goes on after the deploy until 20 more requests have gone through the load balancer.
        var answeredAtEnd = Answered();
        await Eventually.Until(() => Task.FromResult(Answered() >= answeredAtEnd + 20), TimeSpan.FromSeconds(20), "20 requests through the load balancer after the deploy");
        await stop.CancelAsync();
        await load;

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        failures.ShouldBe(0);
        versions.ShouldContain("v1");
        versions[^1].ShouldBe("v2");
        var groups = await harness.ServerGroups.ListClusterAsync("demo", "staging", "demo-web", CancellationToken.None);
        groups[0].Name.ShouldBe("demo-web-v001");
        groups[0].Enabled.ShouldBeTrue();
        groups[1].Enabled.ShouldBeFalse();
        groups[1].Capacity.Desired.ShouldBe(0);
    }
}

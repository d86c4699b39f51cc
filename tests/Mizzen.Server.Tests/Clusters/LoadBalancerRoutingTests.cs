using System.Text.Json.Nodes;

namespace Mizzen.Server.Tests.Clusters;

/// <summary>
/// After a red/black deploy both server groups stay behind the load balancer with weight 100, the old one disabled: the cluster API
/// and <c>cluster get</c> show that the proxy sends all traffic to the new one, and the real proxy does.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class LoadBalancerRoutingTests(ShopCluster shop)
{
    [Fact]
    public async Task A_cluster_shows_the_share_of_traffic_each_server_group_gets_and_its_configured_weight_and_the_cli_prints_both()
    {
        (await shop.Server.SendAsync(HttpMethod.Post, "/applications", new JsonObject { ["name"] = "split", ["email"] = "split@example.com" })).Status.ShouldBe(200);
        await shop.DeployAsync("web", "v1", "split", instances: 1);
        await shop.DeployAsync("web", "v2", "split", instances: 1);

        var cluster = await shop.Server.GetJsonAsync("/applications/split/clusters/local/split-web");
        var lb = cluster["loadBalancers"]!.AsArray().Single()!;
        var targets = lb["targets"]!.AsArray().ToDictionary(t => t!["serverGroup"]!.GetValue<string>(), t => t!);
        var cli = await RunCliAsync("cluster", "get", "split", "local", "split-web");

        targets.Keys.ShouldBe(["split-web-v000", "split-web-v001"], ignoreOrder: true);
        targets.Values.ShouldAllBe(t => t["weight"]!.GetValue<int>() == 100 && t["configuredPercent"]!.GetValue<double>() == 50);
        targets["split-web-v001"]["percent"]!.GetValue<double>().ShouldBe(100);
        targets["split-web-v001"]["routing"]!.GetValue<string>().ShouldBe("routed");
        targets["split-web-v001"]["upInstances"]!.GetValue<int>().ShouldBe(1);
        targets["split-web-v000"]["percent"]!.GetValue<double>().ShouldBe(0);
        targets["split-web-v000"]["routing"]!.GetValue<string>().ShouldBe("disabled");
        using var http = new HttpClient();
        for (var i = 0; i < 10; i++)
        {
            JsonNode.Parse(await http.GetStringAsync(lb["url"]!.GetValue<string>()))!["version"]!.GetValue<string>().ShouldBe("v2");
        }

        cli.Exit.ShouldBe(0, cli.Err);
        var lines = cli.Out.Split('\n');
        lines.ShouldContain(l => l.Contains("split-web-v001  100     100%     routed to 1 Up", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("split-web-v000  100     0%       disabled", StringComparison.Ordinal));
    }

    private async Task<(int Exit, string Out, string Err)> RunCliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Mizzen.Cli.Cli.RunAsync([.. args, "--server", shop.Server.Url.ToString().TrimEnd('/')], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}

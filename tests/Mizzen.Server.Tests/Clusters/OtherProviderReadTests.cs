using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Orchestration.Clouds;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Clusters;

/// <summary>
/// The cluster API reads every registered provider alike: application <c>mixed</c> has a real local server group (account <c>local</c>,
/// deployed from the demo bundle) and, in a second provider registered by the test (<see cref="FixedCloudProvider"/>, account
/// <c>east</c>), a cluster with a load balancer. Listings show both side by side with each one's provider and region; the traffic guard
/// judges the second provider's cluster as it judges a local one.
/// </summary>
public sealed class OtherProviderReadTests(OtherProviderServer mixed) : IClassFixture<OtherProviderServer>
{
    [Fact]
    public async Task Server_groups_of_every_provider_are_listed_side_by_side_with_their_provider_and_region()
    {
        var groups = (await mixed.Server.GetJsonAsync("/applications/mixed/serverGroups")).AsArray();

        groups.Select(g => (g!["account"]!.GetValue<string>(), g["name"]!.GetValue<string>(), g["cloudProvider"]!.GetValue<string>(), g["region"]!.GetValue<string>()))
            .ShouldBe([("east", "mixed-web-v001", "fixed", "east-1"), ("east", "mixed-web-v000", "fixed", "east-1"), ("local", "mixed-api-v000", "local", "local")]);
        var fixedGroup = groups[0]!;
        fixedGroup["type"]!.GetValue<string>().ShouldBe("fixed");
        fixedGroup["kind"]!.GetValue<string>().ShouldBe("replicaSet");
        fixedGroup["details"]!["revision"]!.GetValue<string>().ShouldBe("2");
        var pod = fixedGroup["instances"]!.AsArray().Single()!;
        (pod["id"]!.GetValue<string>(), pod["healthState"]!.GetValue<string>(), pod["state"]!.GetValue<string>(), pod["details"]!["node"]!.GetValue<string>())
            .ShouldBe((FixedCloudProvider.InstanceId, "Up", "Running", "node-1"));
        pod["port"].ShouldBeNull();
        var local = groups[2]!;
        local["type"]!.GetValue<string>().ShouldBe("local");
        local["instances"]!.AsArray().Single()!["port"]!.GetValue<int>().ShouldBeInRange(25600, 25649);
    }

    [Fact]
    public async Task Clusters_and_load_balancers_of_every_provider_are_listed_and_a_cluster_of_the_other_provider_is_shown_with_its_type()
    {
        var clusters = await mixed.Server.GetJsonAsync("/applications/mixed/clusters");
        var balancers = (await mixed.Server.GetJsonAsync("/applications/mixed/loadBalancers")).AsArray();
        var east = await mixed.Server.GetJsonAsync("/applications/mixed/clusters/east/mixed-web");

        clusters["east"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["mixed-web"]);
        clusters["local"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["mixed-api"]);
        balancers.Select(lb => (lb!["name"]!.GetValue<string>(), lb["account"]!.GetValue<string>(), lb["cloudProvider"]!.GetValue<string>(), lb["region"]!.GetValue<string>()))
            .ShouldBe([("mixed-front", "east", "fixed", "east-1"), ("mixed-lb", "local", "local", "local")]);
        balancers[0]!["url"].ShouldBeNull();
        balancers[1]!["url"]!.GetValue<string>().ShouldStartWith("http://");
        east["type"]!.GetValue<string>().ShouldBe("fixed");
        east["serverGroups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()).ShouldBe(["mixed-web-v001", "mixed-web-v000"]);
        east["loadBalancers"]!.AsArray().Single()!["targets"]![0]!["percent"]!.GetValue<double>().ShouldBe(100);
    }

    [Fact]
    public async Task An_instance_of_the_other_provider_and_its_log_tail_are_read_through_its_provider()
    {
        var instance = await mixed.Server.GetJsonAsync($"/instances/east/{FixedCloudProvider.InstanceId}");
        var tail = await mixed.Server.GetJsonAsync($"/instances/east/{FixedCloudProvider.InstanceId}/logs?tail=10");
        var found = await mixed.Server.GetJsonAsync($"/instances/{FixedCloudProvider.InstanceId}/logs");
        var (followStatus, follow) = await mixed.Server.SendAsync(HttpMethod.Get, $"/instances/east/{FixedCloudProvider.InstanceId}/logs?offset=5");

        (instance["cloudProvider"]!.GetValue<string>(), instance["region"]!.GetValue<string>(), instance["cluster"]!.GetValue<string>()).ShouldBe(("fixed", "east-1", "mixed-web"));
        tail["text"]!.GetValue<string>().ShouldBe("listening on :8080\n");
        found["account"]!.GetValue<string>().ShouldBe("east");
        followStatus.ShouldBe(400);
        follow!["errors"]![0]!["location"]!.GetValue<string>().ShouldBe("offset");
    }

    [Fact]
    public async Task The_UI_pages_show_the_other_providers_cluster_load_balancer_and_instance_beside_the_local_ones()
    {
        var clusters = System.Net.WebUtility.HtmlDecode(await mixed.Server.Http.GetStringAsync("/ui/applications/mixed/clusters"));
        var balancers = System.Net.WebUtility.HtmlDecode(await mixed.Server.Http.GetStringAsync("/ui/applications/mixed/loadbalancers?refresh=off"));
        var instance = System.Net.WebUtility.HtmlDecode(await mixed.Server.Http.GetStringAsync($"/ui/instances/east/{FixedCloudProvider.InstanceId}/logs"));
        var action = System.Net.WebUtility.HtmlDecode(await mixed.Server.Http.GetStringAsync($"/ui/applications/mixed/serverGroups/east/{FixedCloudProvider.Current}/disable"));

        clusters.ShouldContain("Account east");
        clusters.ShouldContain("fixed · east-1");
        clusters.ShouldContain("data-server-group=\"mixed-web-v001\"");
        clusters.ShouldContain("data-server-group=\"mixed-api-v000\"");
        clusters.ShouldContain("Load balancer <strong>mixed-front</strong>");
        balancers.ShouldContain("data-load-balancer=\"mixed-front\"");
        balancers.ShouldContain("data-load-balancer=\"mixed-lb\"");
        balancers.ShouldContain("No traffic charts");
        instance.ShouldContain("node-1");
        instance.ShouldContain("listening on :8080");
        action.ShouldContain("has traffic guards enabled. Disabling mixed-web-v001 would leave the cluster with no instances up.");
    }

    [Fact]
    public async Task Disabling_the_only_enabled_server_group_of_the_other_providers_guarded_cluster_is_refused_by_the_shared_guard()
    {
        var id = await mixed.Shop.OperationAsync(HttpMethod.Post, $"/applications/mixed/serverGroups/east/{FixedCloudProvider.Current}/disable");
        var run = await mixed.Shop.WaitForTaskAsync(id, "TERMINAL");

        var stage = run["stages"]!.AsArray().Single(s => s!["type"]!.GetValue<string>() == "disableServerGroup")!;
        stage["context"]!["cloudProvider"]!.GetValue<string>().ShouldBe("fixed");
        stage["context"]!["exception"]!["details"]!["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldContain(
            "This cluster ('mixed-web' in east, east-1) has traffic guards enabled. Disabling mixed-web-v001 would leave the cluster with no instances up.");
        mixed.Provider.Disabled.ShouldBeEmpty();
    }
}

/// <summary>
/// A real server with one local account (<c>local</c>) and <see cref="FixedCloudProvider"/> registered beside the local provider;
/// application <c>mixed</c> guards cluster <c>mixed-web</c> in <c>east</c> and has a real local server group <c>mixed-api-v000</c> behind
/// <c>mixed-lb</c>.
/// </summary>
public sealed class OtherProviderServer : IAsyncLifetime
{
    public FixedCloudProvider Provider { get; } = new();

    public RunningServer Server => Shop.Server;

    /// <summary>The deploy and task helpers of the shop cluster tests, on this server.</summary>
    public ShopCluster Shop { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Shop = await ShopCluster.StartAsync(
            [("local", "25600-25649")],
            services => services.TryAddEnumerable(ServiceDescriptor.Singleton<ICloudProvider>(Provider)));
        var application = new JsonObject
        {
            ["name"] = "mixed",
            ["email"] = "mixed@example.com",
            ["trafficGuards"] = new JsonArray(new JsonObject { ["account"] = "east", ["location"] = "east-1", ["stack"] = "web", ["enabled"] = true }),
        };
        (await Server.SendAsync(HttpMethod.Post, "/applications", application)).Status.ShouldBe(200);
        await Shop.WaitForTaskAsync(await Shop.StartTaskAsync(new JsonObject
        {
            ["application"] = "mixed",
            ["job"] = new JsonArray(new JsonObject { ["type"] = "upsertLoadBalancer", ["loadBalancerName"] = "mixed-lb", ["account"] = "local", ["cloudProvider"] = "local" }),
        }), "SUCCEEDED");
        await Shop.DeployAsync("api", "v1", "mixed", "local", instances: 1);
    }

    public async Task DisposeAsync() => await Shop.DisposeAsync();
}

using System.Text.Json.Nodes;

namespace Mizzen.Server.Tests.Clusters;

/// <summary>The read side of the cluster API against real instances of cluster <c>shop-web</c> (deployed once by <see cref="ShopCluster"/>).</summary>
[Collection(ShopCollection.Name)]
public sealed class ClusterReadTests(ShopCluster shop)
{
    [Fact]
    public async Task Clusters_are_listed_per_account_as_Gate_does()
    {
        var clusters = await shop.Server.GetJsonAsync("/applications/shop/clusters");

        clusters["local"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldContain("shop-web");
    }

    [Fact]
    public async Task A_cluster_shows_its_server_groups_with_healthy_instances_and_its_load_balancer()
    {
        var cluster = await shop.Server.GetJsonAsync("/applications/shop/clusters/local/shop-web");

        cluster["name"]!.GetValue<string>().ShouldBe("shop-web");
        var group = cluster["serverGroups"]!.AsArray()[0]!;
        group["name"]!.GetValue<string>().ShouldBe("shop-web-v000");
        group["isDisabled"]!.GetValue<bool>().ShouldBeFalse();
        group["capacity"]!["desired"]!.GetValue<int>().ShouldBe(2);
        group["instanceCounts"]!["up"]!.GetValue<int>().ShouldBe(2);
        group["moniker"]!["cluster"]!.GetValue<string>().ShouldBe("shop-web");
        group["instances"]!.AsArray().Select(i => i!["healthState"]!.GetValue<string>()).ShouldAllBe(s => s == "Up");
        cluster["loadBalancers"]!.AsArray().Single()!["name"]!.GetValue<string>().ShouldBe("shop-lb");
    }

    [Fact]
    public async Task Server_groups_and_load_balancers_of_the_application_are_listed_with_the_load_balancer_url_and_weights()
    {
        var groups = await shop.Server.GetJsonAsync("/applications/shop/serverGroups");
        var balancers = await shop.Server.GetJsonAsync("/applications/shop/loadBalancers");

        groups.AsArray().Select(g => g!["name"]!.GetValue<string>()).ShouldContain("shop-web-v000");
        var lb = balancers.AsArray().Single()!;
        lb["account"]!.GetValue<string>().ShouldBe("local");
        lb["targets"]!.AsArray().Select(t => t!["serverGroup"]!.GetValue<string>()).ShouldContain("shop-web-v000");
        using var http = new HttpClient();
        var answer = JsonNode.Parse(await http.GetStringAsync(lb["url"]!.GetValue<string>()))!;
        answer["version"]!.GetValue<string>().ShouldBe("v1");
    }

    [Fact]
    public async Task An_instance_has_details_and_logs_that_can_be_tailed_and_followed_by_offset()
    {
        var cluster = await shop.Server.GetJsonAsync("/applications/shop/clusters/local/shop-web");
        var id = cluster["serverGroups"]!.AsArray().Last()!["instances"]!.AsArray()[0]!["id"]!.GetValue<string>();

        var instance = await shop.Server.GetJsonAsync($"/instances/local/{id}");
        var tail = await shop.Server.GetJsonAsync($"/instances/local/{id}/logs?stream=stdout&tail=10");
        var stderr = await shop.Server.GetJsonAsync($"/instances/local/{id}/logs?stream=stderr");
        var next = await shop.Server.GetJsonAsync($"/instances/local/{id}/logs?offset={tail["nextOffset"]}");

        instance["serverGroup"]!.GetValue<string>().ShouldBe("shop-web-v000");
        instance["healthState"]!.GetValue<string>().ShouldBe("Up");
        tail["text"]!.GetValue<string>().ShouldContain("started v1");
        stderr["text"]!.GetValue<string>().ShouldContain("oops");
        next["text"]!.GetValue<string>().ShouldBe("");
        next["offset"]!.GetValue<long>().ShouldBe(tail["nextOffset"]!.GetValue<long>());
    }

    [Fact]
    public async Task Instance_logs_without_an_account_are_found_in_whichever_account_runs_the_instance()
    {
        await shop.GuardedServerGroupAsync(); // vault-web-v000 runs in the second account, "secure"
        var secure = (await shop.Server.GetJsonAsync("/applications/vault/serverGroups")).AsArray()[0]!["instances"]!.AsArray()[0]!["id"]!.GetValue<string>();
        var cluster = await shop.Server.GetJsonAsync("/applications/shop/clusters/local/shop-web");
        var local = cluster["serverGroups"]!.AsArray().Last()!["instances"]!.AsArray()[0]!["id"]!.GetValue<string>();

        var fromSecure = await shop.Server.GetJsonAsync($"/instances/{secure}/logs?stream=stdout&tail=10");
        var fromLocal = await shop.Server.GetJsonAsync($"/instances/{local}/logs?tail=10");
        var stderr = await shop.Server.GetJsonAsync($"/instances/{local}/logs?stream=stderr");
        var next = await shop.Server.GetJsonAsync($"/instances/{local}/logs?offset={fromLocal["nextOffset"]}");

        fromSecure["account"]!.GetValue<string>().ShouldBe(ShopCluster.GuardedAccount);
        fromSecure["instanceId"]!.GetValue<string>().ShouldBe(secure);
        fromSecure["text"]!.GetValue<string>().ShouldContain("started v1");
        fromLocal["account"]!.GetValue<string>().ShouldBe(ShopCluster.Account);
        fromLocal["text"]!.GetValue<string>().ShouldContain("started v1");
        stderr["stream"]!.GetValue<string>().ShouldBe("stderr");
        stderr["text"]!.GetValue<string>().ShouldContain("oops");
        next["text"]!.GetValue<string>().ShouldBe("");
        next["offset"]!.GetValue<long>().ShouldBe(fromLocal["nextOffset"]!.GetValue<long>());
    }

    [Fact]
    public async Task Logs_of_an_instance_no_account_has_are_a_404_problem_naming_the_id()
    {
        var (code, body) = await shop.Server.SendAsync(HttpMethod.Get, "/instances/shop-web-v999-i9/logs?tail=5");

        code.ShouldBe(404);
        body!["detail"]!.GetValue<string>().ShouldContain("'shop-web-v999-i9'");
    }

    [Theory]
    [InlineData("/instances/local/no-such-instance", 404)]
    [InlineData("/instances/local/no-such-instance/logs", 404)]
    [InlineData("/applications/shop/clusters/local/no-such-cluster", 404)]
    public async Task Unknown_things_are_404_problems(string path, int status)
    {
        var (code, body) = await shop.Server.SendAsync(HttpMethod.Get, path);

        code.ShouldBe(status);
        body!["detail"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_bad_log_stream_is_a_400_that_names_the_parameter()
    {
        var cluster = await shop.Server.GetJsonAsync("/applications/shop/clusters/local/shop-web");
        var id = cluster["serverGroups"]!.AsArray()[0]!["instances"]!.AsArray()[0]!["id"]!.GetValue<string>();

        var (code, body) = await shop.Server.SendAsync(HttpMethod.Get, $"/instances/local/{id}/logs?stream=stdin");

        code.ShouldBe(400);
        body!["errors"]![0]!["location"]!.GetValue<string>().ShouldBe("stream");
    }
}

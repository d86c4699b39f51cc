using System.Text.Json.Nodes;

namespace Mizzen.Server.Tests.Clusters;

/// <summary>Load balancers created and removed the way Deck does it through Gate: <c>POST /tasks</c> with an upsertLoadBalancer / deleteLoadBalancer job.</summary>
[Collection(ShopCollection.Name)]
public sealed class LoadBalancerTaskTests(ShopCluster shop)
{
    [Fact]
    public async Task A_load_balancer_upserted_through_tasks_is_listed_with_its_url_and_is_gone_after_a_delete_task()
    {
        (await shop.Server.SendAsync(HttpMethod.Post, "/applications", new JsonObject { ["name"] = "ledger", ["email"] = "ledger@example.com" })).Status.ShouldBe(200);

        var upsert = await shop.WaitForTaskAsync(await shop.StartTaskAsync(Job("upsertLoadBalancer")), "SUCCEEDED");

        var listed = (await shop.Server.GetJsonAsync("/applications/ledger/loadBalancers")).AsArray().Single()!;
        listed["name"]!.GetValue<string>().ShouldBe("ledger-lb");
        listed["account"]!.GetValue<string>().ShouldBe(ShopCluster.Account);
        var port = listed["port"]!.GetValue<int>();
        port.ShouldBeInRange(23300, 23399); // the account's port range
        var url = listed["url"]!.GetValue<string>();
        url.ShouldStartWith("http://");
        url.ShouldEndWith($":{port}");
        upsert["stages"]![0]!["outputs"]!["loadBalancer"]!["port"]!.GetValue<int>().ShouldBe(port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using (var response = await http.GetAsync(url))
        {
            ((int)response.StatusCode).ShouldBeGreaterThanOrEqualTo(200); // it listens (no targets yet, so it cannot answer with a service)
        }

        await shop.WaitForTaskAsync(await shop.StartTaskAsync(Job("deleteLoadBalancer")), "SUCCEEDED");

        (await shop.Server.GetJsonAsync("/applications/ledger/loadBalancers")).AsArray().ShouldBeEmpty();
        await Should.ThrowAsync<HttpRequestException>(() => http.GetAsync(url));
    }

    private static JsonObject Job(string type) => new()
    {
        ["application"] = "ledger",
        ["description"] = $"{type} ledger-lb",
        ["job"] = new JsonArray(new JsonObject { ["type"] = type, ["loadBalancerName"] = "ledger-lb", ["credentials"] = ShopCluster.Account, ["cloudProvider"] = "local" }),
    };
}

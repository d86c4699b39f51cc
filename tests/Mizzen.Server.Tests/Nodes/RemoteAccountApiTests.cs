using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Providers.Local.Api;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Nodes;

/// <summary>
/// Two real servers as two nodes: b owns account <c>far</c>, a owns <c>near</c>; both know both accounts. Node a must not answer
/// about <c>far</c> from its own (empty) state: with b's <c>nodeUrl</c> it forwards to b and merges b's listings, without it it
/// answers 409 naming node b.
/// </summary>
public sealed class RemoteAccountApiTests
{
    [Fact]
    public async Task A_node_without_the_owners_url_answers_409_naming_the_owner_instead_of_an_empty_state()
    {
        await using var a = await StartNodeAsync("a", farUrl: null);

        var (clusterStatus, cluster) = await a.SendAsync(HttpMethod.Get, "/applications/shop/clusters/far/shop-web");
        var (instanceStatus, instance) = await a.SendAsync(HttpMethod.Get, "/instances/far/i-123/logs");
        var (listStatus, list) = await a.SendAsync(HttpMethod.Get, "/applications/shop/serverGroups");
        var (resizeStatus, _) = await a.SendAsync(HttpMethod.Post, "/applications/shop/serverGroups/far/shop-web-v000/resize", new JsonObject { ["capacity"] = new JsonObject { ["desired"] = 1 } });
        var (nearStatus, near) = await a.SendAsync(HttpMethod.Get, "/applications/shop/clusters/near/shop-web");

        clusterStatus.ShouldBe(409);
        cluster!["detail"]!.GetValue<string>().ShouldStartWith("Local account 'far' belongs to node 'b'");
        cluster["node"]!.GetValue<string>().ShouldBe("b");
        instanceStatus.ShouldBe(409);
        instance!["node"]!.GetValue<string>().ShouldBe("b");
        listStatus.ShouldBe(409, "a listing that would silently leave out far's server groups");
        list!["detail"]!.GetValue<string>().ShouldContain("node 'b'");
        resizeStatus.ShouldBe(409);
        nearStatus.ShouldBe(404, "an account of this node is answered from this node's state");
        near!["detail"]!.GetValue<string>().ShouldContain("no cluster 'shop-web' in account 'near'");
    }

    [Fact]
    public async Task A_node_forwards_requests_about_another_nodes_account_to_it_and_merges_its_listings()
    {
        await using var b = await StartNodeAsync("b", farUrl: null);
        await using var a = await StartNodeAsync("a", farUrl: b.Url);
        var balancers = b.Services.GetRequiredService<ILocalLoadBalancers>();
        var created = await balancers.UpsertLoadBalancerAsync(new LoadBalancerSpec { Name = "shop-lb", Account = "far" }, CancellationToken.None);

        var listed = await a.GetJsonAsync("/applications/shop/loadBalancers");
        var (clusterStatus, cluster) = await a.SendAsync(HttpMethod.Get, "/applications/shop/clusters/far/shop-web");
        var (instanceStatus, instance) = await a.SendAsync(HttpMethod.Get, "/instances/far/i-123");
        var (logsStatus, logs) = await a.SendAsync(HttpMethod.Get, "/instances/i-123/logs");
        var (resizeStatus, resize) = await a.SendAsync(HttpMethod.Post, "/applications/shop/serverGroups/far/shop-web-v000/resize",
            new JsonObject { ["capacity"] = new JsonObject { ["desired"] = 1 } });
        var groups = await a.GetJsonAsync("/applications/shop/serverGroups");
        var clusters = await a.GetJsonAsync("/applications/shop/clusters");

        var lb = listed.AsArray().Single()!;
        (lb["name"]!.GetValue<string>(), lb["account"]!.GetValue<string>(), lb["url"]!.GetValue<string>()).ShouldBe(("shop-lb", "far", created.Url.ToString().TrimEnd('/')));
        clusterStatus.ShouldBe(404, "b, the owner, answered: it has no such cluster");
        cluster!["detail"]!.GetValue<string>().ShouldBe("application 'shop' has no cluster 'shop-web' in account 'far'");
        instanceStatus.ShouldBe(404);
        instance!["detail"]!.GetValue<string>().ShouldBe("account 'far' has no instance 'i-123'");
        logsStatus.ShouldBe(404);
        logs!["detail"]!.GetValue<string>().ShouldContain("no account has an instance 'i-123'");
        resizeStatus.ShouldBe(404, "b read the forwarded body (a missing body is a 400) and has no such server group");
        resize!["detail"]!.GetValue<string>().ShouldBe("application 'shop' has no server group 'shop-web-v000' in account 'far'");
        groups.AsArray().ShouldBeEmpty();
        clusters.AsObject().ShouldBeEmpty();
    }

    /// <summary>A server on node <paramref name="node"/> with accounts near (node a) and far (node b, at <paramref name="farUrl"/>).</summary>
    private static Task<RunningServer> StartNodeAsync(string node, Uri? farUrl) =>
        RunningServer.StartAsync(demo: false, [("near", "24600-24649"), ("far", "24650-24699")], data =>
        {
            var path = Path.Combine(data, "mizzen.json");
            var settings = JsonNode.Parse(File.ReadAllText(path))!;
            settings["Mizzen"]!["Node"] = new JsonObject { ["Id"] = node };
            var accounts = settings["Mizzen"]!["Accounts"]!.AsArray();
            accounts[0]!["node"] = "a";
            accounts[1]!["node"] = "b";
            if (farUrl is not null)
            {
                accounts[1]!["nodeUrl"] = farUrl.ToString();
            }

            File.WriteAllText(path, settings.ToJsonString());
        });
}

using System.Text.Json.Nodes;

namespace Mizzen.Server.Tests.Clusters;

/// <summary>
/// The traffic guard behind the server-group operation endpoints: application <c>vault</c> protects cluster <c>vault-web</c> in account
/// <c>secure</c>, so taking away its only enabled server group is refused as a TERMINAL run with the guard's message, and nothing changes.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class TrafficGuardRefusalTests(ShopCluster shop)
{
    [Theory]
    [InlineData("POST", "/disable", "Disabling", "disableServerGroup")]
    [InlineData("DELETE", "", "Destroying", "destroyServerGroup")]
    public async Task Taking_away_the_only_enabled_server_group_of_a_guarded_cluster_fails_with_the_guards_message_and_it_keeps_serving(
        string method, string suffix, string verb, string stageType)
    {
        var group = await shop.GuardedServerGroupAsync();

        var id = await shop.OperationAsync(new HttpMethod(method), $"/applications/vault/serverGroups/{ShopCluster.GuardedAccount}/{group}{suffix}");
        var run = await shop.WaitForTaskAsync(id, "TERMINAL");

        var stage = run["stages"]!.AsArray().Single(s => s!["type"]!.GetValue<string>() == stageType)!;
        stage["status"]!.GetValue<string>().ShouldBe("TERMINAL");
        stage["context"]!["exception"]!["details"]!["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldContain(
            $"This cluster ('vault-web' in secure) has traffic guards enabled. {verb} {group} would leave the cluster with no instances up.");
        var after = (await shop.Server.GetJsonAsync("/applications/vault/serverGroups")).AsArray().Single(g => g!["name"]!.GetValue<string>() == group)!;
        after["isDisabled"]!.GetValue<bool>().ShouldBeFalse();
        after["instanceCounts"]!["up"]!.GetValue<int>().ShouldBe(1);
        using var http = new HttpClient();
        var answer = JsonNode.Parse(await http.GetStringAsync(await shop.LoadBalancerUrlAsync("vault", "vault-lb")))!;
        answer["version"]!.GetValue<string>().ShouldBe("v1");
    }
}

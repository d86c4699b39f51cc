using System.Text.Json.Nodes;

namespace Mizzen.Server.Tests.Clusters;

/// <summary>
/// Resize, disable, enable, rollback and destroy through the API: each is an ad-hoc orchestration of the matching stage, acting on real
/// processes of cluster <c>shop-api</c>.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class ServerGroupOperationTests(ShopCluster shop)
{
    private const string Base = "/applications/shop/serverGroups/local";

    [Fact]
    public async Task Operations_run_as_orchestrations_of_the_matching_stage_and_change_the_real_server_groups()
    {
        await shop.DeployAsync("api", "v1");
        await shop.DeployAsync("api", "v2");
        (await Group("shop-api-v001"))["isDisabled"]!.GetValue<bool>().ShouldBeFalse();
        (await Group("shop-api-v000"))["isDisabled"]!.GetValue<bool>().ShouldBeTrue(); // red/black disabled the old one

        var resize = await shop.OperationAsync(HttpMethod.Post, $"{Base}/shop-api-v001/resize",
            new JsonObject { ["capacity"] = new JsonObject { ["min"] = 1, ["max"] = 1, ["desired"] = 1 } });
        var resized = await shop.WaitForTaskAsync(resize, "SUCCEEDED");
        resized["type"]!.GetValue<string>().ShouldBe("ORCHESTRATION");
        resized["stages"]!.AsArray().ShouldContain(s => s!["type"]!.GetValue<string>() == "resizeServerGroup");
        (await Group("shop-api-v001"))["capacity"]!["desired"]!.GetValue<int>().ShouldBe(1);

        await shop.WaitForTaskAsync(await shop.OperationAsync(HttpMethod.Post, "/applications/shop/clusters/local/shop-api/rollback"), "SUCCEEDED");
        (await Group("shop-api-v000"))["isDisabled"]!.GetValue<bool>().ShouldBeFalse();
        (await Group("shop-api-v001"))["isDisabled"]!.GetValue<bool>().ShouldBeTrue();

        await shop.WaitForTaskAsync(await shop.OperationAsync(HttpMethod.Post, $"{Base}/shop-api-v001/enable"), "SUCCEEDED");
        (await Group("shop-api-v001"))["isDisabled"]!.GetValue<bool>().ShouldBeFalse();
        await shop.WaitForTaskAsync(await shop.OperationAsync(HttpMethod.Post, $"{Base}/shop-api-v000/disable"), "SUCCEEDED");
        (await Group("shop-api-v000"))["isDisabled"]!.GetValue<bool>().ShouldBeTrue();

        await shop.WaitForTaskAsync(await shop.OperationAsync(HttpMethod.Delete, $"{Base}/shop-api-v000"), "SUCCEEDED");
        var cluster = await shop.Server.GetJsonAsync("/applications/shop/clusters/local/shop-api");
        cluster["serverGroups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()).ShouldBe(["shop-api-v001"]);
    }

    [Fact]
    public async Task A_capacity_with_min_above_desired_is_a_400_naming_capacity()
    {
        var (status, body) = await shop.Server.SendAsync(HttpMethod.Post, $"{Base}/shop-web-v000/resize",
            new JsonObject { ["capacity"] = new JsonObject { ["min"] = 3, ["max"] = 3, ["desired"] = 1 } });

        status.ShouldBe(400);
        body!["errors"]![0]!["location"]!.GetValue<string>().ShouldBe("capacity");
    }

    [Fact]
    public async Task An_operation_on_a_server_group_of_another_application_is_a_404()
    {
        var (status, _) = await shop.Server.SendAsync(HttpMethod.Post, $"/applications/other{Base["/applications/shop".Length..]}/shop-web-v000/disable");

        status.ShouldBe(404);
    }

    [Fact]
    public async Task Rolling_back_a_cluster_with_one_server_group_is_a_409()
    {
        var (status, body) = await shop.Server.SendAsync(HttpMethod.Post, "/applications/shop/clusters/local/shop-web/rollback");

        status.ShouldBe(409);
        body!["detail"]!.GetValue<string>().ShouldContain("no server group older than shop-web-v000");
    }

    [Fact]
    public async Task A_task_with_an_unknown_stage_type_is_a_400_that_names_the_job_entry()
    {
        var (status, body) = await shop.Server.SendAsync(HttpMethod.Post, "/tasks", new JsonObject
        {
            ["application"] = "shop",
            ["job"] = new JsonArray(new JsonObject { ["type"] = "teleportServerGroup" }),
        });

        status.ShouldBe(400);
        body!["errors"]![0]!["location"]!.GetValue<string>().ShouldBe("job[0].type");
    }

    private async Task<JsonNode> Group(string name) =>
        (await shop.Server.GetJsonAsync("/applications/shop/serverGroups")).AsArray().Single(g => g!["name"]!.GetValue<string>() == name)!;
}

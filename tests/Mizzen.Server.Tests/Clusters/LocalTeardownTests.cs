using System.Diagnostics;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Clusters;

/// <summary>
/// Stopping the server leaves the local provider's instances running (the next start re-adopts them) and says so in one line;
/// <c>mizzen local teardown</c> removes them through the API. Real server, real CLI, real instance processes.
/// </summary>
public sealed class LocalTeardownTests : IAsyncLifetime
{
    private const string Account = "local";
    private RunningServer server = null!;

    public async Task InitializeAsync() =>
        server = await RunningServer.StartAsync(demo: false, [(Account, "23900-23949"), ("other", "23950-23999")], data =>
        {
            var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(data, "mizzen.json")))!;
            settings["Mizzen"]!["Providers"]!["Local"]!["StopInstancesOnShutdown"] = false; // as `serve` runs by default
            File.WriteAllText(Path.Combine(data, "mizzen.json"), settings.ToJsonString());
        });

    public async Task DisposeAsync()
    {
        await RunCliAsync("local", "teardown", Account, "--yes"); // whatever a failed test left behind
        await RunCliAsync("local", "teardown", "other", "--yes");
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Stopping_the_server_says_which_instances_keep_running_and_teardown_destroys_them_through_the_api()
    {
        await DeployAsync("shop", Account, instances: 2);
        await DeployAsync("ledger", "other", instances: 1);
        var pids = await InstancePidsAsync("shop");
        pids.Count.ShouldBe(2);

        var stopped = server;
        server = await server.RestartAsync();
        stopped.Logs.Entries.ShouldContain(l => l.EventId == 7150 && l.Message ==
            "3 instances of 2 server groups keep running after Mizzen stops (local: 2, other: 1); the next start re-adopts them. " +
            "To remove them, start Mizzen and run: ./mizzen local teardown ACCOUNT --yes");
        pids.ShouldAllBe(pid => Alive(pid));

        var unconfirmed = await RunCliAsync("local", "teardown", Account);
        unconfirmed.Exit.ShouldBe(2);
        unconfirmed.Out.ShouldBe("application shop: server groups shop-web-v000 (2 instances); load balancers shop-lb\n");
        unconfirmed.Err.ShouldBe($"mizzen: nothing destroyed: run again with --yes to destroy the above in account {Account}\n");
        pids.ShouldAllBe(pid => Alive(pid));

        var teardown = await RunCliAsync("local", "teardown", Account, "--yes");

        teardown.Exit.ShouldBe(0, teardown.Err + teardown.Out);
        teardown.Out.ShouldContain("shop: tearing down (execution ");
        (await server.GetJsonAsync("/applications/shop/serverGroups")).AsArray().ShouldBeEmpty();
        (await server.GetJsonAsync("/applications/shop/loadBalancers")).AsArray().ShouldBeEmpty();
        await Eventually.GetAsync(() => Task.FromResult(pids.All(pid => !Alive(pid)) ? "gone" : null), TimeSpan.FromSeconds(30), "the instances to exit");
        var id = teardown.Out.Split("shop: tearing down (execution ")[1].Split(')')[0];
        var run = await server.GetJsonAsync($"/pipelines/{id}");
        run["name"]!.GetValue<string>().ShouldBe("Tear down shop in account local");
        run["status"]!.GetValue<string>().ShouldBe("SUCCEEDED");
        run["stages"]!.AsArray().Select(s => s!["type"]!.GetValue<string>()).ShouldBe(["destroyServerGroup", "deleteLoadBalancer"]);
        (await server.GetJsonAsync("/applications/ledger/serverGroups")).AsArray().Count.ShouldBe(1); // another account is untouched
        (await RunCliAsync("local", "teardown", Account, "--yes")).Out.ShouldBe($"account {Account}: no server groups or load balancers\n");
    }

    private async Task DeployAsync(string application, string account, int instances)
    {
        var bundle = Path.Combine(await DemoBundles.FolderAsync(), "demo-v1.tar.gz");
        await server.CreateApplicationAsync(application);
        await RunTaskAsync(application, new JsonObject { ["type"] = "upsertLoadBalancer", ["loadBalancerName"] = $"{application}-lb", ["account"] = account, ["cloudProvider"] = "local" });
        await RunTaskAsync(application, new JsonObject
        {
            ["type"] = "deploy",
            ["clusters"] = new JsonArray(new JsonObject
            {
                ["application"] = application, ["account"] = account, ["cloudProvider"] = "local", ["stack"] = "web",
                ["capacity"] = new JsonObject { ["min"] = instances, ["max"] = instances, ["desired"] = instances },
                ["loadBalancers"] = new JsonArray($"{application}-lb"),
                ["artifact"] = new JsonObject { ["type"] = "local/bundle", ["name"] = application, ["version"] = "v1", ["reference"] = bundle },
                ["command"] = "dotnet", ["args"] = new JsonArray("demo-service.dll"),
                ["healthCheck"] = new JsonObject { ["type"] = "http", ["path"] = "/health", ["intervalSeconds"] = 0.5 },
            }),
        });
    }

    private async Task RunTaskAsync(string application, JsonObject stage)
    {
        var (status, body) = await server.SendAsync(HttpMethod.Post, "/tasks", new JsonObject { ["application"] = application, ["job"] = new JsonArray(stage) });
        status.ShouldBe(202, body?.ToJsonString());
        var id = body!["ref"]!.GetValue<string>().Split('/')[^1];
        var done = await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() is not ("NOT_STARTED" or "RUNNING"), TimeSpan.FromSeconds(90));
        done["status"]!.GetValue<string>().ShouldBe("SUCCEEDED", done.ToJsonString());
    }

    private async Task<List<int>> InstancePidsAsync(string application) =>
        [.. (await server.GetJsonAsync($"/applications/{application}/serverGroups")).AsArray()
            .SelectMany(g => g!["instances"]!.AsArray()).Select(i => i!["pid"]!.GetValue<int>())];

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private async Task<(int Exit, string Out, string Err)> RunCliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Mizzen.Cli.Cli.RunAsync([.. args, "--server", server.Url.ToString().TrimEnd('/')], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}

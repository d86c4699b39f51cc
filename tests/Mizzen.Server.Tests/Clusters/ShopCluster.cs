using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Clusters;

/// <summary>
/// One real server for the cluster tests, with application <c>shop</c>: load balancer <c>shop-lb</c> and cluster <c>shop-web</c> in account
/// <c>local</c>, deployed from the demo bundle through <c>POST /tasks</c> (a real deploy stage, real processes).
/// </summary>
public sealed class ShopCluster : IAsyncLifetime
{
    public const string Account = "local";

    public RunningServer Server { get; private set; } = null!;

    public string Bundle { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Bundle = Path.Combine(await DemoBundles.FolderAsync(), "demo-v1.tar.gz");
        Server = await RunningServer.StartAsync(demo: false, [(Account, "23300-23399")]);
        (await Server.SendAsync(HttpMethod.Post, "/applications", new JsonObject { ["name"] = "shop", ["email"] = "shop@example.com" })).Status.ShouldBe(200);
        var id = await StartTaskAsync(new JsonObject
        {
            ["application"] = "shop",
            ["description"] = "Create shop-lb",
            ["job"] = new JsonArray(new JsonObject { ["type"] = "upsertLoadBalancer", ["loadBalancerName"] = "shop-lb", ["account"] = Account, ["cloudProvider"] = "local" }),
        });
        await WaitForTaskAsync(id, "SUCCEEDED");
        await DeployAsync("web", "v1");
    }

    /// <summary>Deploys the next server group of <c>shop-&lt;stack&gt;</c> (2 instances; each prints "started" on stdout) and waits for it.</summary>
    public async Task<JsonNode> DeployAsync(string stack, string version)
    {
        var deploy = new JsonObject
        {
            ["type"] = "deploy",
            ["name"] = $"Deploy {version}",
            ["clusters"] = new JsonArray(new JsonObject
            {
                ["application"] = "shop",
                ["account"] = Account,
                ["cloudProvider"] = "local",
                ["stack"] = stack,
                ["strategy"] = "redblack",
                ["capacity"] = new JsonObject { ["min"] = 2, ["max"] = 2, ["desired"] = 2 },
                ["loadBalancers"] = new JsonArray("shop-lb"),
                ["artifact"] = new JsonObject { ["type"] = "local/bundle", ["name"] = "shop", ["version"] = version, ["reference"] = Bundle },
                ["command"] = "sh",
                ["args"] = new JsonArray("-c", $"echo started {version}; echo oops >&2; VERSION={version} exec dotnet demo-service.dll"),
                ["healthCheck"] = new JsonObject { ["type"] = "http", ["path"] = "/health", ["intervalSeconds"] = 0.5 },
            }),
        };
        var id = await StartTaskAsync(new JsonObject { ["application"] = "shop", ["description"] = $"Deploy {version}", ["job"] = new JsonArray(deploy) });
        return await WaitForTaskAsync(id, "SUCCEEDED");
    }

    public async Task<string> StartTaskAsync(JsonObject task)
    {
        var (status, body) = await Server.SendAsync(HttpMethod.Post, "/tasks", task);
        status.ShouldBe(202, body?.ToJsonString());
        return body!["ref"]!.GetValue<string>().Split('/')[^1];
    }

    /// <summary>Waits until the execution (task or operation) is complete and checks it ended as <paramref name="expected"/>.</summary>
    public async Task<JsonNode> WaitForTaskAsync(string id, string expected)
    {
        var done = await Eventually.GetAsync(async () =>
        {
            var execution = await Server.GetJsonAsync($"/pipelines/{id}");
            return execution["status"]!.GetValue<string>() is "NOT_STARTED" or "RUNNING" ? null : execution;
        }, TimeSpan.FromSeconds(90), $"execution {id} to finish");
        done["status"]!.GetValue<string>().ShouldBe(expected, done.ToJsonString());
        return done;
    }

    public async Task<string> OperationAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        var (status, answer) = await Server.SendAsync(method, path, body);
        status.ShouldBe(202, answer?.ToJsonString());
        var reference = answer!["ref"]!.GetValue<string>();
        reference.ShouldStartWith("/pipelines/");
        return reference.Split('/')[^1];
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The cluster tests share one server (and its processes) and run one class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ShopCollection : ICollectionFixture<ShopCluster>
{
    public const string Name = "shop cluster";
}

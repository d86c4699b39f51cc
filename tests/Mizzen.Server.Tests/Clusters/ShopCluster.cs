using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Clusters;

/// <summary>
/// One real server for the cluster tests, with application <c>shop</c>: load balancer <c>shop-lb</c> and cluster <c>shop-web</c> in account
/// <c>local</c>, deployed from the demo bundle through <c>POST /tasks</c> (a real deploy stage, real processes). On first use of
/// <see cref="GuardedServerGroupAsync"/> also application <c>vault</c>: cluster <c>vault-web</c> behind <c>vault-lb</c> in a second account,
/// <c>secure</c>, protected by a traffic guard.
/// </summary>
public sealed class ShopCluster : IAsyncLifetime
{
    public const string Account = "local";

    /// <summary>The second account; only application <c>vault</c> deploys there.</summary>
    public const string GuardedAccount = "secure";

    private readonly Lazy<Task<string>> guarded;

    public ShopCluster() => guarded = new(DeployGuardedAsync);

    public RunningServer Server { get; private set; } = null!;

    public string Bundle { get; private set; } = "";

    /// <summary>
    /// A server with <paramref name="accounts"/> and <paramref name="services"/> added to its registrations, with this class's deploy and
    /// task helpers, but no application of its own (not <c>shop</c>, not <c>vault</c>). Dispose it with <see cref="DisposeAsync"/>.
    /// <paramref name="prepareDataFolder"/> may change its settings (<c>&lt;data&gt;/mizzen.json</c>) before it starts.
    /// </summary>
    public static async Task<ShopCluster> StartAsync(
        IReadOnlyList<(string Name, string Ports)> accounts, Action<IServiceCollection>? services, Action<string>? prepareDataFolder = null)
    {
        var cluster = new ShopCluster { Bundle = Path.Combine(await DemoBundles.FolderAsync(), "demo-v1.tar.gz") };
        cluster.Server = await RunningServer.StartAsync(demo: false, accounts, prepareDataFolder, services);
        return cluster;
    }

    public async Task InitializeAsync()
    {
        Bundle = Path.Combine(await DemoBundles.FolderAsync(), "demo-v1.tar.gz");
        Server = await RunningServer.StartAsync(demo: false, [(Account, "23300-23399"), (GuardedAccount, "23800-23899")]);
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

    /// <summary>
    /// The only server group (<c>vault-web-v000</c>, 1 instance, behind <c>vault-lb</c>) of cluster <c>vault-web</c> in account
    /// <see cref="GuardedAccount"/>, whose application guards it (<c>trafficGuards: [{account: secure, stack: web}]</c>); deployed once.
    /// </summary>
    public Task<string> GuardedServerGroupAsync() => guarded.Value;

    /// <summary>Deploys the next server group of <c>&lt;application&gt;-&lt;stack&gt;</c> behind <c>&lt;application&gt;-lb</c> (each instance prints "started" on stdout) and waits for it.</summary>
    public async Task<JsonNode> DeployAsync(string stack, string version, string application = "shop", string account = Account, int instances = 2)
    {
        var deploy = new JsonObject
        {
            ["type"] = "deploy",
            ["name"] = $"Deploy {version}",
            ["clusters"] = new JsonArray(new JsonObject
            {
                ["application"] = application,
                ["account"] = account,
                ["cloudProvider"] = "local",
                ["stack"] = stack,
                ["strategy"] = "redblack",
                ["capacity"] = new JsonObject { ["min"] = instances, ["max"] = instances, ["desired"] = instances },
                ["loadBalancers"] = new JsonArray($"{application}-lb"),
                ["artifact"] = new JsonObject { ["type"] = "local/bundle", ["name"] = application, ["version"] = version, ["reference"] = Bundle },
                ["command"] = "sh",
                ["args"] = new JsonArray("-c", $"echo started {version}; echo oops >&2; VERSION={version} exec dotnet demo-service.dll"),
                ["healthCheck"] = new JsonObject { ["type"] = "http", ["path"] = "/health", ["intervalSeconds"] = 0.5 },
            }),
        };
        var id = await StartTaskAsync(new JsonObject { ["application"] = application, ["description"] = $"Deploy {version}", ["job"] = new JsonArray(deploy) });
        return await WaitForTaskAsync(id, "SUCCEEDED");
    }

    /// <summary>The URL of a load balancer as <c>GET /applications/{app}/loadBalancers</c> lists it.</summary>
    public async Task<string> LoadBalancerUrlAsync(string application, string name) =>
        (await Server.GetJsonAsync($"/applications/{application}/loadBalancers")).AsArray()
            .Single(lb => lb!["name"]!.GetValue<string>() == name)!["url"]!.GetValue<string>();

    private async Task<string> DeployGuardedAsync()
    {
        var application = new JsonObject
        {
            ["name"] = "vault",
            ["email"] = "vault@example.com",
            ["trafficGuards"] = new JsonArray(new JsonObject { ["account"] = GuardedAccount, ["stack"] = "web", ["enabled"] = true }),
        };
        (await Server.SendAsync(HttpMethod.Post, "/applications", application)).Status.ShouldBe(200);
        await WaitForTaskAsync(await StartTaskAsync(new JsonObject
        {
            ["application"] = "vault",
            ["job"] = new JsonArray(new JsonObject { ["type"] = "upsertLoadBalancer", ["loadBalancerName"] = "vault-lb", ["account"] = GuardedAccount, ["cloudProvider"] = "local" }),
        }), "SUCCEEDED");
        await DeployAsync("web", "v1", "vault", GuardedAccount, instances: 1);
        return "vault-web-v000";
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

using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Ui;

/// <summary>
/// A real server for the load balancer and live log pages, with metrics at a 1 s resolution (so a chart has points seconds after
/// traffic): application <c>tide</c>, load balancer <c>tide-lb</c> in account <c>local</c> splitting 75/25 between the only server
/// groups of clusters <c>tide-web</c> and <c>tide-canary</c> (one demo-service instance each, real processes), and an empty load
/// balancer with a very long name (<see cref="LongName"/>). Each instance also
/// prints, on stdout, whatever a test drops into its trigger file (<see cref="WriteThroughInstanceAsync"/>): a line the instance
/// itself writes, at a moment the test chooses.
/// </summary>
public sealed class TrafficCluster : IAsyncLifetime
{
    public const string Account = "local";
    public const string Web = "tide-web-v000";
    public const string Canary = "tide-canary-v000";

    /// <summary>A second load balancer of <c>tide</c> (by its name) without targets, whose name is longer than any layout expects.</summary>
    public static readonly string LongName = "tide-" + string.Concat(Enumerable.Repeat("very_long_load_balancer_name-", 5)) + "end";

    private readonly string triggers = Directory.CreateTempSubdirectory("mizzen-tide-").FullName;

    public RunningServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RunningServer.StartAsync(demo: false, [(Account, "25300-25349")], data =>
        {
            var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(data, "mizzen.json")))!;
            settings["Mizzen"]!["Providers"]!["Local"]!["MetricsResolution"] = "00:00:01";
            File.WriteAllText(Path.Combine(data, "mizzen.json"), settings.ToJsonString());
        });
        var bundle = Path.Combine(await DemoBundles.FolderAsync(), "demo-v1.tar.gz");
        (await Server.SendAsync(HttpMethod.Post, "/applications", new JsonObject { ["name"] = "tide", ["email"] = "tide@example.com" })).Status.ShouldBe(200);
        await RunAsync(new JsonObject { ["type"] = "upsertLoadBalancer", ["loadBalancerName"] = "tide-lb", ["account"] = Account, ["cloudProvider"] = "local" });
        await RunAsync(new JsonObject { ["type"] = "upsertLoadBalancer", ["loadBalancerName"] = LongName, ["account"] = Account, ["cloudProvider"] = "local" });
        await RunAsync(Deploy("web", bundle));
        await RunAsync(Deploy("canary", bundle));
        await RunAsync(new JsonObject
        {
            ["type"] = "setTrafficWeights",
            ["loadBalancerName"] = "tide-lb",
            ["account"] = Account,
            ["cloudProvider"] = "local",
            ["targets"] = new JsonArray(new JsonObject { ["serverGroupName"] = Web, ["weight"] = 75 }, new JsonObject { ["serverGroupName"] = Canary, ["weight"] = 25 }),
        });
    }

    /// <summary>Makes the instance of <paramref name="stack"/>'s server group print <paramref name="line"/> on its stdout (within a second).</summary>
    public async Task WriteThroughInstanceAsync(string stack, string line)
    {
        var file = Path.Combine(triggers, stack);
        await File.WriteAllTextAsync(file + ".tmp", line + "\n");
        File.Move(file + ".tmp", file, overwrite: true); // whole, never half-written, when the instance looks
    }

    private JsonObject Deploy(string stack, string bundle)
    {
        var trigger = Path.Combine(triggers, stack);
        // The watcher lives as long as the service: after exec the service has the shell's pid ($$).
        var watch = $"(while kill -0 $$ 2>/dev/null; do if [ -f '{trigger}' ]; then cat '{trigger}'; rm -f '{trigger}'; fi; sleep 0.2; done) &";
        return new JsonObject
        {
            ["type"] = "deploy",
            ["clusters"] = new JsonArray(new JsonObject
            {
                ["application"] = "tide",
                ["account"] = Account,
                ["cloudProvider"] = "local",
                ["stack"] = stack,
                ["strategy"] = "redblack",
                ["capacity"] = new JsonObject { ["min"] = 1, ["max"] = 1, ["desired"] = 1 },
                ["loadBalancers"] = new JsonArray("tide-lb"),
                ["artifact"] = new JsonObject { ["type"] = "local/bundle", ["name"] = "tide", ["version"] = "v1", ["reference"] = bundle },
                ["command"] = "sh",
                ["args"] = new JsonArray("-c", $"echo started {stack}; {watch} VERSION={stack} exec dotnet demo-service.dll"),
                ["healthCheck"] = new JsonObject { ["type"] = "http", ["path"] = "/health", ["intervalSeconds"] = 0.5 },
            }),
        };
    }

    private async Task RunAsync(JsonObject job)
    {
        var (status, body) = await Server.SendAsync(HttpMethod.Post, "/tasks", new JsonObject { ["application"] = "tide", ["job"] = new JsonArray(job) });
        status.ShouldBe(202, body?.ToJsonString());
        var id = body!["ref"]!.GetValue<string>().Split('/')[^1];
        var done = await Eventually.GetAsync(async () =>
        {
            var execution = await Server.GetJsonAsync($"/pipelines/{id}");
            return execution["status"]!.GetValue<string>() is "NOT_STARTED" or "RUNNING" ? null : execution;
        }, TimeSpan.FromSeconds(90), $"{job["type"]} task {id} to finish");
        done["status"]!.GetValue<string>().ShouldBe("SUCCEEDED", done.ToJsonString());
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(triggers, recursive: true);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Pipelines;
using Mizzen.Server.Benchmarks.Shared;

namespace Mizzen.Server.Benchmarks.Ui;

/// <summary>
/// The data the UI figures are taken on. Applications, pipeline configs and finished runs go straight into the SQLite store before
/// the server starts (<see cref="SeedStoreAsync"/>); server groups are deployed for real through <c>POST /tasks</c> once it runs
/// (<see cref="DeployServerGroupsAsync"/>): each instance is a <c>sleep</c> process, so the clusters page renders what the local
/// provider really holds (its records, its supervised processes, its load balancers), not a hand-written state file.
/// </summary>
internal sealed record UiSeed(int Applications, int PipelinesPerApplication, int Runs, int ServerGroups)
{
    /// <summary>Server groups per cluster: a cluster keeps its last five deploys (red/black: the older ones disabled).</summary>
    public const int ServerGroupsPerCluster = 5;

    public const string Account = "local";

    /// <summary>The pipeline the live-update figure starts and cancels: its first stage waits an hour.</summary>
    public const string HoldPipeline = "pipeline-00";

    public static string App(int a) => $"app{a:D2}";

    public static string ConfigId(int a, int p) => $"cfg-{a:D2}-{p:D2}";

    public static string RunId(int n) => $"01UIBENCH{n:D17}";

    /// <summary>
    /// Which application and pipeline run <paramref name="n"/> belongs to: a fifth of all runs go to <c>app00</c> (the busiest
    /// application, 800 runs per pipeline at full size), the rest evenly over the others; pipelines are picked by a hash, so
    /// every pipeline has runs and its newest ones are spread in time.
    /// </summary>
    public (int App, int Pipeline) Owner(int n)
    {
        var app = n % 5 == 0 || Applications == 1 ? 0 : 1 + (n / 5 % (Applications - 1));
        var pipeline = (int)((uint)(n * 2654435761u) >> 8) % PipelinesPerApplication;
        return (app, pipeline);
    }

    /// <summary>Most runs succeed; one in 20 failed at its 8th stage, one in 50 was canceled there.</summary>
    public static ExecutionStatus StatusOf(int n) => ((uint)n * 2246822519u >> 13) switch
    {
        var h when h % 20 == 7 => ExecutionStatus.Terminal,
        var h when h % 50 == 13 => ExecutionStatus.Canceled,
        _ => ExecutionStatus.Succeeded,
    };

    /// <summary>The clusters: half in <c>app00</c> (its clusters page is the heaviest), the other half one or two per other application.</summary>
    public IReadOnlyList<(string App, string Stack)> Clusters()
    {
        var count = Math.Max(1, ServerGroups / ServerGroupsPerCluster);
        return [.. Enumerable.Range(0, count).Select(c => c < (count + 1) / 2 || Applications == 1
            ? (App(0), $"s{c:D2}")
            : (App(1 + ((c - ((count + 1) / 2)) % (Applications - 1))), $"s{c:D2}"))];
    }

    public async Task SeedStoreAsync(string folder)
    {
        var clock = Stopwatch.StartNew();
        await StoreSeeder.WithSqliteStoreAsync(folder, async services =>
        {
            var applications = services.GetRequiredService<IApplicationStore>();
            var configs = services.GetRequiredService<IPipelineConfigStore>();
            for (var a = 0; a < Applications; a++)
            {
                await applications.SaveAsync(new Application { Name = App(a), Email = $"team-{a:D2}@example.com", Description = $"Bench application {a} of {Applications}" }, CancellationToken.None);
                for (var p = 0; p < PipelinesPerApplication; p++)
                {
                    await configs.SaveAsync(new PipelineConfig(Config(a, p)), "bench", CancellationToken.None);
                }
            }

            // Spread over the last 28 days, oldest first, so the newest runs of every pipeline are recent (and retention, 30 days by
            // default, deletes none of them while the bench runs).
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var span = TimeSpan.FromDays(28).TotalMilliseconds;
            await StoreSeeder.AddRunsAsync(services, Runs, n =>
            {
                var (a, p) = Owner(n);
                var at = now - (long)span + (long)(span * n / Runs);
                return StoreSeeder.Run(RunId(n), $"01UIBS{n:D16}", App(a), ConfigId(a, p), $"pipeline-{p:D2}", at, StatusOf(n), $"1.{n / 1000}.{n % 1000}");
            });
        });
        Console.WriteLine($"  seeded {Applications} applications, {Applications * PipelinesPerApplication} pipeline configs and {Runs:N0} finished 10-stage runs in {clock.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>The server's settings: one local account with room for every instance, and instances stopped when the server stops.</summary>
    public static async Task WriteSettingsAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var settings = new JsonObject
        {
            ["Mizzen"] = new JsonObject
            {
                ["Accounts"] = new JsonArray(new JsonObject
                {
                    ["name"] = Account, ["type"] = "local", ["portRange"] = "41000-41999", ["workingFolder"] = Path.Combine(folder, "accounts", Account),
                }),
                ["Providers"] = new JsonObject
                {
                    ["Local"] = new JsonObject { ["StopInstancesOnShutdown"] = true, ["StopGracePeriod"] = "00:00:02", ["DrainTimeout"] = "00:00:01" },
                },
            },
        };
        await File.WriteAllTextAsync(Path.Combine(folder, "mizzen.json"), settings.ToJsonString());
    }

    /// <summary>
    /// A load balancer per application that has clusters, then <see cref="ServerGroups"/> server groups of one <c>sleep</c> instance:
    /// every cluster deployed <see cref="ServerGroupsPerCluster"/> times (red/black), the clusters in parallel, each cluster's deploys
    /// one after the other (a server group's sequence number follows the previous one).
    /// </summary>
    public async Task DeployServerGroupsAsync(HttpClient http, string bundleFolder)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(bundleFolder);
        await File.WriteAllTextAsync(Path.Combine(bundleFolder, "README"), "The UI bench's bundle: its instances are `sleep` processes.\n");
        var clusters = Clusters();
        await Task.WhenAll(clusters.Select(c => c.App).Distinct().Select(async app => await WaitAsync(http, await StartTaskAsync(http, new JsonObject
        {
            ["application"] = app,
            ["description"] = $"Create {app}-lb",
            ["job"] = new JsonArray(new JsonObject { ["type"] = "upsertLoadBalancer", ["loadBalancerName"] = $"{app}-lb", ["account"] = Account, ["cloudProvider"] = "local" }),
        }))));
        var rounds = ServerGroups / Math.Max(1, clusters.Count);
        for (var round = 0; round < rounds; round++)
        {
            var version = $"v{round}";
            await Task.WhenAll(clusters.Select(async c => await WaitAsync(http, await StartTaskAsync(http, new JsonObject
            {
                ["application"] = c.App,
                ["description"] = $"Deploy {c.Stack} {version}",
                ["job"] = new JsonArray(new JsonObject
                {
                    ["type"] = "deploy",
                    ["name"] = $"Deploy {version}",
                    ["clusters"] = new JsonArray(new JsonObject
                    {
                        ["application"] = c.App,
                        ["account"] = Account,
                        ["cloudProvider"] = "local",
                        ["stack"] = c.Stack,
                        ["strategy"] = "redblack",
                        ["capacity"] = new JsonObject { ["min"] = 1, ["max"] = 1, ["desired"] = 1 },
                        ["loadBalancers"] = new JsonArray($"{c.App}-lb"),
                        ["artifact"] = new JsonObject { ["type"] = "local/bundle", ["name"] = c.App, ["version"] = version, ["reference"] = bundleFolder },
                        ["command"] = "sleep",
                        ["args"] = new JsonArray("7200"),
                        ["healthCheck"] = new JsonObject { ["type"] = "none" },
                    }),
                }),
            }))));
            Console.WriteLine($"  deploy round {round + 1} of {rounds}: {clusters.Count} server groups, {clock.Elapsed.TotalSeconds:0} s");
        }

        var listed = 0;
        foreach (var app in clusters.Select(c => c.App).Distinct())
        {
            listed += (await http.GetFromJsonAsync<JsonArray>(new Uri($"/applications/{app}/serverGroups", UriKind.Relative)))!.Count;
        }

        if (listed != rounds * clusters.Count)
        {
            throw new InvalidOperationException($"{listed} server groups are listed, not {rounds * clusters.Count}");
        }

        Console.WriteLine($"  deployed {listed} server groups of 1 instance in {clusters.Count} clusters in {clock.Elapsed.TotalSeconds:0} s");
    }

    private static JsonObject Config(int a, int p)
    {
        // Ten wait stages in a chain, as the seeded runs have; the hold pipeline of app00 waits an hour in its first.
        var hold = a == 0 && $"pipeline-{p:D2}" == HoldPipeline;
        return new JsonObject
        {
            ["id"] = ConfigId(a, p),
            ["application"] = App(a),
            ["name"] = $"pipeline-{p:D2}",
            ["parameterConfig"] = new JsonArray(new JsonObject { ["name"] = "version", ["default"] = "1.0.0", ["description"] = "the version to deploy" }),
            ["stages"] = new JsonArray([.. Enumerable.Range(0, 10).Select(s => (JsonNode)new JsonObject
            {
                ["refId"] = s.ToString(CultureInfo.InvariantCulture),
                ["requisiteStageRefIds"] = s == 0 ? new JsonArray() : new JsonArray((s - 1).ToString(CultureInfo.InvariantCulture)),
                ["type"] = "wait",
                ["name"] = "stage " + s,
                ["waitTime"] = hold && s == 0 ? 3600 : 0,
            })]),
        };
    }

    private static async Task<string> StartTaskAsync(HttpClient http, JsonObject task)
    {
        using var response = await http.PostAsJsonAsync(new Uri("/tasks", UriKind.Relative), task);
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 202)
        {
            throw new InvalidOperationException($"POST /tasks answered {(int)response.StatusCode}: {body}");
        }

        return JsonNode.Parse(body)!["ref"]!.GetValue<string>().Split('/')[^1];
    }

    private static async Task WaitAsync(HttpClient http, string id)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var execution = (await http.GetFromJsonAsync<JsonObject>(new Uri($"/pipelines/{id}", UriKind.Relative)))!;
            var status = execution["status"]!.GetValue<string>();
            if (status == "SUCCEEDED")
            {
                return;
            }

            if (status is not ("NOT_STARTED" or "RUNNING") || clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new InvalidOperationException($"task {id} ended {status}: {execution.ToJsonString()[..Math.Min(2000, execution.ToJsonString().Length)]}");
            }

            await Task.Delay(200);
        }
    }
}

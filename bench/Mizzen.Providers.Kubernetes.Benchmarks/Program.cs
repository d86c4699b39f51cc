using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Server.Hosting;
using Mizzen.Testing.Kubernetes;

// Load driver for issue 12's two figures, on the real server (REST API, engine, Kubernetes provider and its watch cache) against
// FakeKubernetesApiServer, the in-memory fake the tests use:
//   1. Kubernetes API requests per deployManifest of a Deployment + Service + ConfigMap (first deploy, and a redeploy of a new image),
//      by verb, from the fake's request log (a request is logged when it ends, so open watches are counted apart): the goal is a watch
//      instead of a poll loop.
//   2. The cluster view of one application with 1,000 pods (GET /applications/{app}/serverGroups), answered from the cache:
//      p50/p95/max over repeated calls, and the API requests those calls caused (goal p95 <= 50 ms, 0 requests).
// Usage: dotnet run -c Release --project bench/Mizzen.Providers.Kubernetes.Benchmarks [-- --pods 1000 --calls 300]
var pods = Arg("--pods", 1000);
var calls = Arg("--calls", 300);

await using var fake = await FakeKubernetesApiServer.StartAsync(new FakeKubernetesOptions { Namespaces = ["default", "prod"] });
var data = Directory.CreateTempSubdirectory("mizzen-k8s-bench-").FullName;
var kubeconfig = fake.WriteKubeconfig(data);
await File.WriteAllTextAsync(Path.Combine(data, "mizzen.json"), new JsonObject
{
    ["Mizzen"] = new JsonObject
    {
        ["Kubernetes"] = new JsonObject { ["Accounts"] = new JsonObject { ["k8s"] = new JsonObject { ["KubeconfigFile"] = kubeconfig, ["Context"] = "fake" } } },
    },
}.ToJsonString());

await using var app = MizzenServer.Build(new ServeArguments(0, data, "127.0.0.1", false), []);
await app.StartAsync();
var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
using var http = new HttpClient { BaseAddress = new Uri(url) };
(await http.PostAsJsonAsync("/applications", new { name = "shop", email = "shop@example.com" })).EnsureSuccessStatusCode();

// 1. Requests per deploy.
await SavePipelineAsync("web", Manifests("web", "registry.local/shop/web:1", 2));
fake.ClearRequests();
await RunAsync("web");
var first = fake.Requests.ToList();
await SavePipelineAsync("web", Manifests("web", "registry.local/shop/web:2", 2));
fake.ClearRequests();
await RunAsync("web");
var redeploy = fake.Requests.ToList();
Console.WriteLine("Kubernetes API requests per deployManifest of Deployment + Service + ConfigMap (through the engine):");
Console.WriteLine($"  first deploy (cache cold, so it includes the cache's LIST and WATCH per kind): {Summary(first)}");
Console.WriteLine($"  redeploy with a new image (cache warm):                                      {Summary(redeploy)}");
Console.WriteLine($"  watches held open meanwhile (recorded only when they end, so not in the counts above): {fake.OpenWatches}");

// 2. The cluster view of 1,000 pods.
await SavePipelineAsync("big", Manifests("big", "registry.local/shop/big:1", pods));
await RunAsync("big", TimeSpan.FromMinutes(5));
var view = (await http.GetFromJsonAsync<JsonArray>("/applications/shop/serverGroups"))!;
var instances = view.Sum(g => g!["instances"]!.AsArray().Count);
Console.WriteLine($"cluster view of application shop: {view.Count} server groups, {instances} instances");
for (var i = 0; i < 20; i++)
{
    await http.GetStringAsync("/applications/shop/serverGroups"); // warm-up: JIT, pools
}

fake.ClearRequests();
var times = new List<double>(calls);
for (var i = 0; i < calls; i++)
{
    var started = Stopwatch.GetTimestamp();
    await http.GetStringAsync("/applications/shop/serverGroups");
    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}

times.Sort();
Console.WriteLine($"GET /applications/shop/serverGroups x{calls}: p50 {P(0.50):F1} ms, p95 {P(0.95):F1} ms, max {times[^1]:F1} ms; "
                  + $"Kubernetes API requests meanwhile: {fake.Requests.Count(r => r.Verb != "watch")}");
await app.StopAsync();
Directory.Delete(data, recursive: true);
return;

double P(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];

static int Arg(string name, int fallback)
{
    var args = Environment.GetCommandLineArgs();
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

static string Summary(IReadOnlyList<RecordedRequest> requests) =>
    $"{requests.Count} ({string.Join(", ", requests.GroupBy(r => r.Verb).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"))})";

static JsonArray Manifests(string name, string image, int replicas) =>
[
    JsonNode.Parse($$$$$"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"{{{{{name}}}}}","namespace":"prod"},
         "spec":{"replicas":{{{{{replicas}}}}},"selector":{"matchLabels":{"app":"{{{{{name}}}}}"}},
           "template":{"metadata":{"labels":{"app":"{{{{{name}}}}}"}},"spec":{
             "containers":[{"name":"{{{{{name}}}}}","image":"{{{{{image}}}}}","envFrom":[{"configMapRef":{"name":"{{{{{name}}}}}-settings"}}]}]}}}}
        """),
    JsonNode.Parse($$$$$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{{{name}}}}}","namespace":"prod"},"spec":{"selector":{"app":"{{{{{name}}}}}"},"ports":[{"port":80}]}}"""),
    JsonNode.Parse($$$$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{{{name}}}}}-settings","namespace":"prod"},"data":{"image":"{{{{{image}}}}}"}}"""),
];

async Task SavePipelineAsync(string name, JsonArray manifests)
{
    var pipeline = new JsonObject
    {
        ["application"] = "shop",
        ["name"] = name,
        ["stages"] = new JsonArray(new JsonObject
        {
            ["refId"] = "1", ["type"] = "deployManifest", ["name"] = "Deploy", ["cloudProvider"] = "kubernetes", ["account"] = "k8s",
            ["moniker"] = new JsonObject { ["app"] = "shop" }, ["source"] = "text", ["manifests"] = manifests,
        }),
    };
    var existing = await http.GetAsync($"/applications/shop/pipelineConfigs/{name}");
    if (existing.IsSuccessStatusCode)
    {
        pipeline["id"] = (await existing.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.DeepClone();
    }

    var saved = await http.PostAsync("/pipelines", new StringContent(pipeline.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
    if (!saved.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"saving {name}: {(int)saved.StatusCode} {await saved.Content.ReadAsStringAsync()}");
    }
}

async Task RunAsync(string name, TimeSpan? within = null)
{
    var started = await http.PostAsync($"/pipelines/shop/{name}", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
    started.EnsureSuccessStatusCode();
    var id = (await started.Content.ReadFromJsonAsync<JsonObject>())!["ref"]!.GetValue<string>()["/pipelines/".Length..];
    var deadline = Stopwatch.GetTimestamp() + (long)((within ?? TimeSpan.FromMinutes(1)).TotalSeconds * Stopwatch.Frequency);
    while (Stopwatch.GetTimestamp() < deadline)
    {
        var run = (await http.GetFromJsonAsync<JsonObject>($"/pipelines/{id}"))!;
        var status = run["status"]!.GetValue<string>();
        if (status == "SUCCEEDED")
        {
            return;
        }

        if (status is "TERMINAL" or "CANCELED" or "STOPPED")
        {
            throw new InvalidOperationException($"run of {name} ended {status}: {run.ToJsonString()[..Math.Min(2000, run.ToJsonString().Length)]}");
        }

        await Task.Delay(50);
    }

    throw new TimeoutException($"run of {name} did not finish");
}

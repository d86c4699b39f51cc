using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.Benchmarks;
using Mizzen.Providers.Local.LoadBalancing;
using Mizzen.Providers.Local.Metrics;
using Mizzen.Providers.Local.ServerGroups;

// Local provider benchmark, loopback only, stops by itself (about 3 minutes with the defaults):
//  1. time from deploy start to a 3-instance server group Up and answering through its load balancer;
//  2. one instance of samples/demo-service, measured with wrk at 1 and 16 connections: straight to the instance, through nginx,
//     through a Mizzen load balancer with the old hand-written forwarder, and through the provider's own (YARP) — interleaved rounds.
// Needs Debian's nginx-light and wrk. Usage: dotnet run -c Release --project bench/Mizzen.Providers.Local.Benchmarks [-- <seconds> <rounds>]
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
int[] connectionCounts = [1, 16];
if (Tools.Missing("nginx", "wrk") is { } missing)
{
    Console.Error.WriteLine($"{missing} is not installed: apt-get install nginx-light wrk");
    return 2;
}

var none = CancellationToken.None;
var root = Directory.CreateTempSubdirectory("mizzen-bench-").FullName;
var bundle = Path.Combine(root, "bundle");
var repo = FindRepository();
Console.WriteLine("building samples/demo-service ...");
using (var build = Process.Start("dotnet", ["build", Path.Combine(repo, "samples", "demo-service"), "-c", "Release", "-o", bundle, "--nologo", "-v", "q"]))
{
    await build.WaitForExitAsync();
    if (build.ExitCode != 0)
    {
        throw new InvalidOperationException("building samples/demo-service failed");
    }
}

File.Copy(Path.Combine(repo, "samples", "demo-service", "Procfile"), Path.Combine(bundle, "Procfile"));
var services = new ServiceCollection().AddLogging().AddLocalProvider(o =>
    o.Accounts.Add(new() { Name = "bench", WorkingFolder = Path.Combine(root, "bench"), PortRange = "41000-41199" })).BuildServiceProvider();
var provider = services.GetRequiredService<ILocalCloudProvider>();
var balancers = services.GetRequiredService<ILocalLoadBalancers>();
using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
using var handWrittenForwarder = new HandWrittenForwarder();
LoadBalancerHost? handWritten = null;
Nginx? nginx = null;
try
{
    DeployServerGroupRequest Request(string stack, int instances, string lb) => new()
    {
        Application = "bench",
        Account = "bench",
        Stack = stack,
        Artifact = new LocalArtifact { Reference = bundle },
        Env = new Dictionary<string, string> { ["VERSION"] = stack },
        Capacity = ServerGroupCapacity.Exactly(instances),
        HealthCheck = new HealthCheckSpec { Path = "/health", IntervalSeconds = 0.1 },
        LoadBalancers = [lb],
    };

    var clock = Stopwatch.StartNew();
    var three = await provider.DeployServerGroupAsync(Request("three", 3, "lb-three"), none);
    var lbThree = (await balancers.GetLoadBalancerAsync("bench", "lb-three", none))!;
    while ((await provider.GetHealthAsync("bench", three, none)).Up < 3)
    {
        await Task.Delay(10);
    }

    await WaitServingAsync(client, lbThree.Url);
    Console.WriteLine($"deploy → 3 instances Up and serving through the load balancer: {clock.Elapsed.TotalMilliseconds:F0} ms");
    await provider.DestroyServerGroupAsync("bench", three, none);

    var one = await provider.DeployServerGroupAsync(Request("one", 1, "lb-one"), none);
    while ((await provider.GetHealthAsync("bench", one, none)).Up < 1)
    {
        await Task.Delay(10);
    }

    var instance = (await provider.GetServerGroupAsync("bench", one, none))!.Instances[0];
    var direct = new Uri($"http://127.0.0.1:{instance.Port}/");
    var yarp = (await balancers.GetLoadBalancerAsync("bench", "lb-one", none))!.Url;

    // The old forwarder behind the same host code (routing, counters, retry) as the provider's, fronting the same server group.
    handWritten = new LoadBalancerHost(
        "bench", "lb-handwritten", Tools.FreeLoopbackPort(), IPAddress.Loopback, services.GetRequiredService<ServerGroupDirectory>(),
        services.GetRequiredService<TrafficRegistry>(), handWrittenForwarder, TimeProvider.System, NullLogger.Instance);
    handWritten.Router.SetTargets([new LoadBalancerTarget(one, 100)]);
    await handWritten.StartAsync(none);
    nginx = await Nginx.StartAsync(instance.Port, Tools.FreeLoopbackPort(), none);
    // The Mizzen load balancers run in this process: its CPU time while only one of them is driven is that proxy's (plus a few health checks).
    (string Name, Uri Url, Func<TimeSpan>? Cpu)[] targets =
    [
        ("direct", direct, null), ("nginx", nginx.Url, () => nginx.Cpu),
        ("Mizzen hand-written", handWritten.Url, ProcessCpu.OfCurrentProcess), ("Mizzen YARP", yarp, ProcessCpu.OfCurrentProcess),
    ];
    foreach (var (_, url, _) in targets)
    {
        await WaitServingAsync(client, url);
    }

    Console.WriteLine($"wrk: {rounds} interleaved rounds of {seconds} s per target (after 1 s warm-up), load average {Tools.LoadAverage()}");
    var results = new Dictionary<(int, string), List<Wrk.Result>>();
    foreach (var connections in connectionCounts)
    {
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < targets.Length; i++)
            {
                var (name, url, cpu) = targets[(i + round) % targets.Length];
                await Wrk.RunAsync(url, connections, TimeSpan.FromSeconds(1), null, none);
                var result = await Wrk.RunAsync(url, connections, TimeSpan.FromSeconds(seconds), cpu, none);
                Console.WriteLine($"  c={connections,-2} round {round + 1} {name,-20} {result.RequestsPerSecond,9:F0} req/s  p50 {result.P50Ms,7:F3} ms  p99 {result.P99Ms,7:F3} ms  " +
                    $"proxy CPU {result.ProxyCpuMicros,5:F0} µs/req  errors {result.Errors}");
                (results.TryGetValue((connections, name), out var list) ? list : results[(connections, name)] = []).Add(result);
            }
        }
    }

    Console.WriteLine($"load average after: {Tools.LoadAverage()}");
    Console.WriteLine();
    Console.WriteLine("medians of the rounds:");
    Console.WriteLine("| connections | target | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms | req/s vs nginx | proxy CPU µs/request |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
    foreach (var connections in connectionCounts)
    {
        Wrk.Result Median(string target) => Tools.Median(results[(connections, target)]);
        var baseline = Median("direct");
        var reference = Median("nginx");
        foreach (var (name, _, _) in targets)
        {
            var m = Median(name);
            var added = name == "direct" ? "— | —" : $"{m.P50Ms - baseline.P50Ms:F3} | {m.P99Ms - baseline.P99Ms:F3}";
            var cpu = double.IsNaN(m.ProxyCpuMicros) ? "—" : $"{m.ProxyCpuMicros:F0}";
            Console.WriteLine($"| {connections} | {name} | {m.RequestsPerSecond:F0} | {m.P50Ms:F3} | {m.P99Ms:F3} | {added} | {m.RequestsPerSecond / reference.RequestsPerSecond:P0} | {cpu} |");
        }

        var mine = Median("Mizzen YARP");
        Console.WriteLine($"c={connections}: YARP at {mine.RequestsPerSecond / reference.RequestsPerSecond:P0} of nginx's throughput (goal ≥ 90 %), " +
            $"adds {mine.P99Ms - baseline.P99Ms:F3} ms at p99 (goal ≤ 1 ms); hand-written/YARP throughput {Median("Mizzen hand-written").RequestsPerSecond / mine.RequestsPerSecond:P0}");
    }

    return 0;
}
finally
{
    if (nginx is not null)
    {
        await nginx.DisposeAsync();
    }

    if (handWritten is not null)
    {
        await handWritten.DisposeAsync();
    }

    foreach (var group in await provider.ListServerGroupsAsync("bench", none))
    {
        await provider.DestroyServerGroupAsync("bench", group.Name, none);
    }

    await services.DisposeAsync();
    Directory.Delete(root, recursive: true);
}

static async Task WaitServingAsync(HttpClient client, Uri url)
{
    for (var i = 0; i < 500; i++)
    {
        try
        {
            using var response = await client.GetAsync(url);
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
            // not listening yet
        }

        await Task.Delay(10);
    }

    throw new TimeoutException($"{url} did not answer 200 within 5 s");
}

static string FindRepository()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Mizzen.slnx")))
        {
            return dir.FullName;
        }
    }

    throw new DirectoryNotFoundException("run the benchmark from inside the Mizzen checkout");
}

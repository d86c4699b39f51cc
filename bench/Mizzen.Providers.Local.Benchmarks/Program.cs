using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.Benchmarks;

// Local provider benchmark, loopback only, stops by itself (about 40 s):
//  1. time from deploy start to a 3-instance server group Up and answering through its load balancer;
//  2. requests/s and p50/p99 through the proxy vs straight to the instance, same client, same run.
// Usage: dotnet run -c Release --project bench/Mizzen.Providers.Local.Benchmarks [-- <concurrency> <seconds>]
var concurrency = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 16;
var seconds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
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
using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = concurrency * 2 });
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

    while (!(await client.GetAsync(lbThree.Url)).IsSuccessStatusCode)
    {
        await Task.Delay(10);
    }

    Console.WriteLine($"deploy → 3 instances Up and serving through the load balancer: {clock.Elapsed.TotalMilliseconds:F0} ms");

    var one = await provider.DeployServerGroupAsync(Request("one", 1, "lb-one"), none);
    while ((await provider.GetHealthAsync("bench", one, none)).Up < 1)
    {
        await Task.Delay(10);
    }

    var instance = (await provider.GetServerGroupAsync("bench", one, none))!.Instances[0];
    var lbOne = (await balancers.GetLoadBalancerAsync("bench", "lb-one", none))!;
    var direct = new Uri($"http://127.0.0.1:{instance.Port}/");
    var warmup = TimeSpan.FromSeconds(1);
    var duration = TimeSpan.FromSeconds(seconds);
    Console.WriteLine($"load: {concurrency} concurrent clients, {seconds} s per phase, after 1 s warm-up");
    var d1 = await LoadDriver.RunAsync("direct to instance", client, direct, concurrency, warmup, duration);
    Console.WriteLine(d1);
    var p1 = await LoadDriver.RunAsync("proxy (1 instance)", client, lbOne.Url, concurrency, warmup, duration);
    Console.WriteLine(p1);
    var d2 = await LoadDriver.RunAsync("direct to instance (again)", client, direct, concurrency, warmup, duration);
    Console.WriteLine(d2);
    var p3 = await LoadDriver.RunAsync("proxy (3 instances)", client, lbThree.Url, concurrency, warmup, duration);
    Console.WriteLine(p3);
    var directRps = (d1.RequestsPerSecond + d2.RequestsPerSecond) / 2;
    var directP99 = (d1.P99Ms + d2.P99Ms) / 2;
    Console.WriteLine($"proxy/direct throughput: {p1.RequestsPerSecond / directRps:P0} (goal ≥ 70%)   added p99: {p1.P99Ms - directP99:F3} ms (goal ≤ 1 ms)   added p50: {p1.P50Ms - (d1.P50Ms + d2.P50Ms) / 2:F3} ms");
}
finally
{
    foreach (var group in await provider.ListServerGroupsAsync("bench", none))
    {
        await provider.DestroyServerGroupAsync("bench", group.Name, none);
    }

    await services.DisposeAsync();
    Directory.Delete(root, recursive: true);
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

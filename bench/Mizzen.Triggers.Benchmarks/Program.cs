using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Model;
using Mizzen.Expressions;
using Mizzen.Orchestration;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Testing.Docker;
using Mizzen.Testing.Stores;
using Mizzen.Triggers.Benchmarks;
using Mizzen.Triggers.Docker;

// Docker trigger poll of a repository with many tags, against the real docker-registry on 127.0.0.1 and a SQLite store:
//  (a) the first poll (lists the tags, reads every digest once, starts nothing);
//  (b) a steady poll with nothing new (median of --steady polls);
//  (c) a poll that finds 1 new tag among them (median of --new polls; each starts one run).
// Usage: dotnet run -c Release --project bench/Mizzen.Triggers.Benchmarks [-- --tags 1000 --steady 20 --new 10]
var tagCount = Option("--tags", 1000);
var steadyPolls = Option("--steady", 20);
var newPolls = Option("--new", 10);
var none = CancellationToken.None;

Console.WriteLine($"starting docker-registry and pushing {tagCount} tags of one image ...");
await using var registry = await DockerRegistryProcess.StartNewAsync();
var manifest = await registry.UploadImageAsync("bench/app", "layer");
var pushing = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, tagCount), new ParallelOptions { MaxDegreeOfParallelism = 8 },
    async (i, ct) => await registry.TagAsync("bench/app", $"t{i:D5}", manifest, ct));
Console.WriteLine($"pushed in {pushing.Elapsed.TotalSeconds:F1} s");

var store = await TestStore.CreateAsync(StoreBackend.Sqlite, "mizzen-bench-docker");
var count = new RequestCount();
var services = new ServiceCollection();
services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddConsole());
services.AddSingleton(TimeProvider.System);
store.AddTo(services);
services.AddMizzenExpressions();
services.AddMizzenEngine(startWorker: false);
services.AddMizzenTriggers(startSchedulers: false);
services.AddHttpClient(DockerMonitor.HttpClientName).AddHttpMessageHandler(() => new CountingHandler(count));
services.Configure<DockerTriggerOptions>(o => o.Accounts.Add(new DockerRegistryAccount { Name = "local", Address = registry.Address }));
await using var provider = services.BuildServiceProvider();
try
{
    await provider.GetRequiredService<IPipelineConfigStore>().SaveAsync(PipelineConfig.Parse("""
        {"id":"deploy","application":"bench","name":"deploy",
         "triggers":[{"type":"docker","enabled":true,"account":"local","repository":"bench/app"}],"stages":[]}
        """), "bench", none);
    var monitor = provider.GetRequiredService<DockerMonitor>();

    var first = await MeasureAsync(() => monitor.PollAsync(none));
    Report("(a) first poll", [first]);

    var steady = new List<Sample>();
    for (var i = 0; i < steadyPolls; i++)
    {
        steady.Add(await MeasureAsync(() => monitor.PollAsync(none)));
    }

    Report("(b) steady poll, nothing new", steady);

    var withNew = new List<Sample>();
    for (var i = 0; i < newPolls; i++)
    {
        await registry.TagAsync("bench/app", $"new-{i}", manifest);
        withNew.Add(await MeasureAsync(() => monitor.PollAsync(none)));
    }

    Report("(c) poll with 1 new tag", withNew);
    var runs = await provider.GetRequiredService<IExecutionStore>().ListAsync(new ExecutionQuery { Application = "bench", Limit = 1000 }, none);
    Console.WriteLine($"runs started: {runs.Count} (expected {newPolls})");
    return runs.Count == newPolls ? 0 : 1;
}
finally
{
    store.Delete();
}

async Task<Sample> MeasureAsync(Func<Task<IReadOnlyList<DockerRepositoryState>>> poll)
{
    count.Take();
    var clock = Stopwatch.StartNew();
    var states = await poll();
    var elapsed = clock.Elapsed;
    var (gets, heads) = count.Take();
    if (states.Single().Error is { } error)
    {
        throw new InvalidOperationException($"the poll failed: {error}");
    }

    return new Sample(elapsed, gets, heads, states.Single().Tags.Count);
}

static void Report(string what, List<Sample> samples)
{
    var ordered = samples.OrderBy(s => s.Elapsed).ToList();
    var median = ordered[ordered.Count / 2];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{what,-32} median {median.Elapsed.TotalMilliseconds,8:F1} ms  min {ordered[0].Elapsed.TotalMilliseconds,8:F1} ms  max {ordered[^1].Elapsed.TotalMilliseconds,8:F1} ms  "
        + $"requests: {median.Gets} GET + {median.Heads} HEAD  tags known: {median.Tags}  (n={samples.Count})"));
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

internal readonly record struct Sample(TimeSpan Elapsed, int Gets, int Heads, int Tags);

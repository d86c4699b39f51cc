using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Orchestration.Stages;
using Mizzen.Persistence.Executions;
using Mizzen.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mizzen.Server.Tests.Fuzz;

/// <summary>
/// Seeded, bounded fuzzing of every route of the real server (127.0.0.1, a real SQLite file): no answer is a 5xx, the
/// server stays healthy, and the data and the run that existed before are intact afterwards — the run then finishes.
/// </summary>
[Collection(nameof(ApiFuzzTests))]
public sealed class ApiFuzzTests(ITestOutputHelper output)
{
    /// <summary>How many fuzzed requests one run sends (fixed, like the seed, so a failure can be replayed).</summary>
    public const int RequestCount = 6000;

    public const int Seed = 20261203;

    private const int Workers = 4;

    /// <summary>
    /// Stage types a run may have after fuzzing: the harmless ones the fuzzer sends, their synthetic children
    /// (checkPrecondition), and what the API adds itself (canary runs, execution windows).
    /// </summary>
    private static readonly HashSet<string> ExpectedStageTypes = [.. SampleBodies.HarmlessTypes, "checkPrecondition", "kayentaCanary", "restrictExecutionDuringTimeWindow"];

    [Fact]
    public async Task Thousands_of_malformed_requests_to_every_route_get_no_5xx_and_leave_earlier_data_and_runs_intact()
    {
        await using var server = await RunningServer.StartAsync();
        var kept = await KeptStateAsync(server);
        var ids = await FuzzTargetsAsync(server);
        var catalog = server.Services.GetRequiredService<StageCatalog>();
        var routes = FuzzRoute.All(server.Services);
        routes.Count.ShouldBeGreaterThan(40, "the fuzzer reads every route from the app's endpoint data source");
        var fuzzer = new RequestFuzzer(Seed, routes, ids, type => catalog.TryGet(type, out _), CompatSamples.Pipelines(), CompatSamples.CanaryConfigs());

        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var generated = 0;
        var slowest = new ConcurrentQueue<(TimeSpan Took, string Request)>();
        using var client = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(60) };
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                FuzzRequest request;
                int number;
                lock (fuzzer)
                {
                    if (generated == RequestCount)
                    {
                        return;
                    }

                    number = ++generated;
                    request = fuzzer.Next();
                }

                var started = Stopwatch.GetTimestamp();
                var status = await SendAsync(client, request, failures);
                slowest.Enqueue((Stopwatch.GetElapsedTime(started), request.ToString()[..Math.Min(160, request.ToString().Length)]));
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                if (number % 500 == 0)
                {
                    (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK, $"health after {number} requests");
                }
            }
        })));
        clock.Stop();

        output.WriteLine($"{RequestCount} fuzzed requests (seed {Seed}) to {routes.Count} routes in {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine("answers: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        foreach (var (took, what) in slowest.OrderByDescending(s => s.Took).Take(8))
        {
            output.WriteLine($"slow: {took.TotalMilliseconds:F0} ms {what}");
        }

        failures.ShouldBeEmpty($"{failures.Count} requests got a 5xx or no answer; the first:\n" + string.Join("\n", failures.Take(25)));

        (await server.Http.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await kept.ShouldBeIntactAsync(server);
        await ShouldHaveRunNothingButHarmlessStagesAsync(server);
    }

    private static async Task<int> SendAsync(HttpClient client, FuzzRequest request, ConcurrentQueue<string> failures)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Route.Method), request.Path);
        if (request.Body is not null || request.RawBody is not null)
        {
            message.Content = request.RawBody is not null ? new ByteArrayContent(request.RawBody) : new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body!));
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        try
        {
            // Headers only: the event streams never end on their own.
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                var text = await response.Content.ReadAsStringAsync();
                failures.Enqueue($"{status} for {request}\n    -> {(text.Length > 400 ? text[..400] : text)}");
            }

            return status;
        }
        catch (HttpRequestException) when ((request.Body?.Length ?? 0) > 100_000)
        {
            // The server answered (a 404 for an unknown id) without reading a large body and closed the connection while the
            // client was still sending it, so the client never sees the answer. Not a failure; counted apart as -1.
            return -1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            failures.Enqueue($"no answer ({e.GetType().Name}: {e.Message}) for {request}");
            return 0;
        }
    }

    /// <summary>Ids the fuzzer fills route parameters with: an application with a pipeline, a finished run, a task and a canary config.</summary>
    private static async Task<Dictionary<string, string[]>> FuzzTargetsAsync(RunningServer server)
    {
        await server.CreateApplicationAsync(SampleBodies.Application);
        var pipeline = SampleBodies.Pipeline("fuzzed");
        var saved = await server.PostJsonAsync("/pipelines", pipeline.ToJsonString());
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var pipelineId = JsonNode.Parse(await saved.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        var runId = await StartAsync(server, $"/pipelines/{SampleBodies.Application}/fuzzed", SampleBodies.Trigger());
        var run = await server.WaitForAsync(runId, e => e["status"]!.GetValue<string>() == "SUCCEEDED");
        var taskId = await StartAsync(server, "/tasks", SampleBodies.Task());
        var canary = await server.PostJsonAsync("/v2/canaries/canaryConfig", SampleBodies.CanaryConfig().ToJsonString());
        canary.StatusCode.ShouldBe(HttpStatusCode.OK, await canary.Content.ReadAsStringAsync());
        var canaryId = JsonNode.Parse(await canary.Content.ReadAsStringAsync())!["canaryConfigId"]!.GetValue<string>();
        var stageIds = run["stages"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToArray();
        return new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["app"] = [SampleBodies.Application],
            ["name"] = ["fuzzed"],
            ["nameOrId"] = ["fuzzed", pipelineId],
            ["id"] = [runId, taskId, pipelineId, canaryId],
            ["stageId"] = stageIds,
            ["configId"] = [canaryId],
            ["canaryExecutionId"] = [$"{runId}-{stageIds[0]}", runId],
            ["revision"] = ["1", "2", "0"],
            ["account"] = ["local"],
            ["region"] = ["local"],
            ["cluster"] = [SampleBodies.Application],
            ["serverGroup"] = [SampleBodies.Application + "-v000"],
            ["instanceId"] = [SampleBodies.Application + "-v000-0"],
        };
    }

    private static async Task<string> StartAsync(RunningServer server, string path, JsonObject body)
    {
        var response = await server.PostJsonAsync(path, body.ToJsonString());
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, text);
        return JsonNode.Parse(text)!["ref"]!.GetValue<string>().Split('/')[^1];
    }

    private static async Task<KeptState> KeptStateAsync(RunningServer server) => await KeptState.CreateAsync(server);

    private static async Task ShouldHaveRunNothingButHarmlessStagesAsync(RunningServer server)
    {
        var executions = await server.Services.GetRequiredService<IExecutionStore>().ListAsync(new ExecutionQuery { Limit = 100_000 }, CancellationToken.None);
        var types = executions.SelectMany(e => e.Stages).Select(s => s.Type).Distinct(StringComparer.Ordinal).ToList();
        types.ShouldAllBe(t => ExpectedStageTypes.Contains(t), "the fuzzer must never run a stage that does real things");
    }
}

/// <summary>The fuzzer loads the machine; it runs alone so timing-sensitive tests in other classes are not starved.</summary>
[CollectionDefinition(nameof(ApiFuzzTests), DisableParallelization = true)]
public sealed class ApiFuzzCollection;

using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Model;
using Mizzen.Expressions;
using Mizzen.Orchestration;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Queue;
using Mizzen.Orchestration.Stages;
using Mizzen.Persistence;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Persistence.Queue;
using Mizzen.Testing;

namespace Mizzen.Providers.Local.Tests.Nodes;

/// <summary>
/// The engine (SQLite, a test clock) with the local provider on node "a": account <c>far</c> is bound to node "b", <c>near</c> to
/// none. The work of a stage on <c>far</c> (its <c>runTask</c> and <c>cancelStage</c> messages) is pushed for node "b" only; the
/// rest for any node. SQLite has one node and claims every message, so the stage then meets the provider's honest refusal.
/// </summary>
public sealed class NodeAffinityTests : IAsyncDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string folder = Directory.CreateTempSubdirectory("mizzen-affinity-").FullName;
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private readonly ServiceProvider services;
    private readonly RecordingStore store;

    public NodeAffinityTests()
    {
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        collection.AddSingleton<TimeProvider>(clock);
        collection.Configure<StorageOptions>(o => o.DataFolder = Path.Combine(folder, "data"));
        collection.Configure<NodeOptions>(o => o.Id = "a");
        collection.AddSqliteStore();
        var sqlite = collection.Single(d => d.ServiceType == typeof(IStore));
        collection.Remove(sqlite);
        collection.AddSingleton(sp => new RecordingStore((IStore)ActivatorUtilities.CreateInstance(sp, sqlite.ImplementationType!)));
        collection.AddSingleton<IStore>(sp => sp.GetRequiredService<RecordingStore>());
        collection.AddMizzenExpressions();
        collection.AddMizzenEngine(startWorker: false);
        collection.AddCoreStages();
        collection.AddServerGroupStages();
        collection.AddLocalProvider(options =>
        {
            options.Accounts.Add(new Accounts.LocalAccountOptions { Name = "far", Node = "b", WorkingFolder = Path.Combine(folder, "far"), PortRange = "64000-64009" });
            options.Accounts.Add(new Accounts.LocalAccountOptions { Name = "near", WorkingFolder = Path.Combine(folder, "near"), PortRange = "64010-64019" });
        });
        services = collection.BuildServiceProvider();
        store = services.GetRequiredService<RecordingStore>();
    }

    [Fact]
    public async Task A_deploy_to_an_account_bound_to_node_b_pushes_its_server_group_work_for_node_b_and_unbound_work_for_any_node()
    {
        var execution = await StartAsync(new JsonObject
        {
            ["refId"] = "1",
            ["type"] = "deploy",
            ["name"] = "Deploy",
            ["clusters"] = new JsonArray(Cluster("far"), Cluster("near")),
        });
        await RunUntilIdleAsync();

        var done = await GetAsync(execution.Id);
        var far = done.Stages.Single(s => s.Type == "createServerGroup" && s.Context["account"]?.GetValue<string>() == "far");
        var near = done.Stages.Single(s => s.Type == "createServerGroup" && s.Context["account"]?.GetValue<string>() == "near");
        var farTasks = Pushed<RunTask>("runTask").Where(m => m.Message.StageId == far.Id).ToList();
        var nearTasks = Pushed<RunTask>("runTask").Where(m => m.Message.StageId == near.Id).ToList();
        farTasks.ShouldNotBeEmpty();
        farTasks.ShouldAllBe(m => m.Node == "b");
        nearTasks.ShouldNotBeEmpty();
        nearTasks.ShouldAllBe(m => m.Node == null);
        Pushed<StartStage>("startStage").ShouldAllBe(m => m.Node == null, "only task work is bound to a node");
        Pushed<CancelStage>("cancelStage").Where(m => m.Message.StageId == far.Id).ShouldAllBe(m => m.Node == "b");

        // One node (SQLite) ran far's task anyway: the provider refuses, naming the owner, and leaves far's folder alone.
        far.Status.ShouldBe(ExecutionStatus.Terminal);
        var errors = far.Context["exception"]?["details"]?["errors"]?.AsArray().Select(e => e?.ToString() ?? "").ToList() ?? [];
        errors.ShouldContain(e => e.Contains("Local account 'far' belongs to node 'b'"), string.Join(" | ", errors));
        Directory.Exists(Path.Combine(folder, "far")).ShouldBeFalse();
    }

    [Fact]
    public async Task Cancelling_a_run_sends_the_bound_stages_task_and_cancel_work_to_its_node()
    {
        var execution = await StartAsync(new JsonObject
        {
            ["refId"] = "1",
            ["type"] = "wait",
            ["name"] = "Wait on far",
            ["waitTime"] = 3600,
            ["cloudProvider"] = "local",
            ["account"] = "far",
        });
        await RunUntilIdleAsync();
        var stage = (await GetAsync(execution.Id)).Stages.Single();
        stage.Status.ShouldBe(ExecutionStatus.Running);
        var before = store.Committed.Count;

        await services.GetRequiredService<IExecutionRunner>().CancelAsync(execution.Id, "tester", "stop", None);
        await RunUntilIdleAsync();

        (await GetAsync(execution.Id)).Status.ShouldBe(ExecutionStatus.Canceled);
        var afterCancel = store.Committed.Skip(before).ToList();
        var runTasks = afterCancel.Where(m => m.Kind == "runTask").ToList();
        var cancels = afterCancel.Where(m => m.Kind == "cancelStage").ToList();
        runTasks.ShouldNotBeEmpty();
        runTasks.ShouldAllBe(m => m.Node == "b");
        cancels.ShouldNotBeEmpty();
        cancels.ShouldAllBe(m => m.Node == "b");
        afterCancel.Where(m => m.Kind is "rescheduleExecution" or "completeExecution").ShouldAllBe(m => m.Node == null);
    }

    [Fact]
    public async Task A_stage_for_another_cloud_provider_or_with_no_account_runs_on_any_node()
    {
        var execution = await StartAsync(
            new JsonObject { ["refId"] = "1", ["type"] = "wait", ["name"] = "k8s", ["waitTime"] = 1, ["cloudProvider"] = "kubernetes", ["account"] = "far" },
            new JsonObject { ["refId"] = "2", ["type"] = "wait", ["name"] = "plain", ["waitTime"] = 1 });
        await RunUntilIdleAsync();
        clock.Advance(TimeSpan.FromSeconds(2));
        await RunUntilIdleAsync();

        (await GetAsync(execution.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);
        var runTasks = store.Committed.Where(m => m.Kind == "runTask").ToList();
        runTasks.Count.ShouldBeGreaterThanOrEqualTo(2);
        runTasks.ShouldAllBe(m => m.Node == null);
    }

    private static JsonObject Cluster(string account) => new()
    {
        ["application"] = "demo",
        ["account"] = account,
        ["stack"] = "web",
        ["capacity"] = new JsonObject { ["min"] = 1, ["max"] = 1, ["desired"] = 1 },
        ["artifact"] = new JsonObject { ["type"] = "local/bundle", ["name"] = "demo", ["version"] = "v1", ["reference"] = "/nonexistent/bundle" },
    };

    private async Task<PipelineExecution> StartAsync(params JsonObject[] stages)
    {
        var config = PipelineConfig.Parse(new JsonObject
        {
            ["application"] = "demo",
            ["name"] = "affinity",
            ["stages"] = new JsonArray(stages.Select(s => (JsonNode)s).ToArray()),
        }.ToJsonString());
        await services.GetRequiredService<IPipelineConfigStore>().SaveAsync(config, "tester", None);
        return await services.GetRequiredService<IExecutionRunner>().StartAsync(config, [], "tester", None);
    }

    private async Task RunUntilIdleAsync()
    {
        var queue = services.GetRequiredService<IMessageQueue>();
        var processor = services.GetRequiredService<MessageProcessor>();
        for (var handled = 0; handled < 10_000;)
        {
            var batch = await queue.ClaimAsync(16, TimeSpan.FromMinutes(5), None);
            if (batch.Count == 0)
            {
                return;
            }

            foreach (var message in batch)
            {
                await processor.ProcessAsync(message, None);
                handled++;
            }
        }

        throw new InvalidOperationException("the engine did not go idle");
    }

    private async Task<PipelineExecution> GetAsync(string id) =>
        await services.GetRequiredService<IExecutionStore>().GetAsync(id, None) ?? throw new InvalidOperationException($"execution {id} is gone");

    private List<(T Message, string? Node)> Pushed<T>(string kind) where T : EngineMessage =>
        [.. store.Committed.Where(m => m.Kind == kind).Select(m => ((T)MessageCodec.Decode(m.Kind, m.Payload), m.Node))];

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

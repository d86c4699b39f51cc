using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Expressions;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Persistence.Queue;
using Mizzen.Testing;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Engine;

/// <summary>
/// The real engine on a real store (a SQLite file or a PostgreSQL database, see <see cref="StoreBackend"/>), driven by hand:
/// <see cref="RunUntilIdleAsync"/> handles every message due at the test clock's time, <see cref="AdvanceAsync"/> moves the
/// clock and runs again. No worker, no sleeping.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private EngineHarness(TestStore store, FakeTimeProvider clock, Action<IServiceCollection>? configure)
    {
        Store = store;
        Clock = clock;
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        collection.AddSingleton<TimeProvider>(clock);
        store.AddTo(collection);
        collection.AddMizzenExpressions();
        collection.AddMizzenEngine(startWorker: false);
        collection.AddCoreStages();
        foreach (var definition in new IStageDefinition[]
                 {
                     new NoopStage(), new FailStage(), new SlowStage(), new ThrowingStage(), new SyntheticStage(), new FailWithRollbackStage(),
                 })
        {
            collection.AddSingleton(definition);
        }

        configure?.Invoke(collection);
        services = collection.BuildServiceProvider();
    }

    public TestStore Store { get; }

    public string Folder => Store.Folder;

    public FakeTimeProvider Clock { get; }

    public IServiceProvider Services => services;

    public IExecutionRunner Runner => services.GetRequiredService<IExecutionRunner>();

    public IPipelineConfigStore Configs => services.GetRequiredService<IPipelineConfigStore>();

    public static async Task<EngineHarness> CreateAsync(StoreBackend backend, Action<IServiceCollection>? configure = null) =>
        new(await TestStore.CreateAsync(backend, "mizzen-engine"), TestTime.Clock(), configure);

    /// <summary>A second engine on the same store (file or database), as after a restart of the process.</summary>
    public static EngineHarness Reopen(EngineHarness previous) => new(previous.Store, previous.Clock, null);

    /// <summary>
    /// An engine on the existing PostgreSQL database <paramref name="connectionString"/> (one node, in-process coordination), on
    /// <paramref name="clock"/>: e.g. the engine of a store just migrated from SQLite, continuing its runs.
    /// </summary>
    public static EngineHarness OnPostgres(string connectionString, FakeTimeProvider clock) =>
        new(TestStore.OnPostgresDatabase(connectionString, "mizzen-engine"), clock, null);

    public async Task<PipelineExecution> StartAsync(string pipelineJson, JsonObject? trigger = null)
    {
        var config = PipelineConfig.Parse(pipelineJson);
        config.Json["application"] ??= "app";
        config.Json["name"] ??= "pipeline";
        await Configs.SaveAsync(config, "tester", CancellationToken.None);
        return await Runner.StartAsync(config, trigger ?? [], "tester", CancellationToken.None);
    }

    public async Task<PipelineExecution> StartAndRunAsync(string pipelineJson, JsonObject? trigger = null)
    {
        var execution = await StartAsync(pipelineJson, trigger);
        await RunUntilIdleAsync();
        return await GetAsync(execution.Id);
    }

    public async Task<PipelineExecution> GetAsync(string id) =>
        await services.GetRequiredService<IExecutionStore>().GetAsync(id, CancellationToken.None)
        ?? throw new InvalidOperationException($"execution {id} is gone");

    /// <summary>Handles messages until none is due at the current clock time; returns how many were handled.</summary>
    public async Task<int> RunUntilIdleAsync(int limit = 100_000)
    {
        var queue = services.GetRequiredService<IMessageQueue>();
        var processor = services.GetRequiredService<MessageProcessor>();
        var handled = 0;
        while (handled < limit)
        {
            var batch = await queue.ClaimAsync(16, TimeSpan.FromMinutes(5), CancellationToken.None);
            if (batch.Count == 0)
            {
                return handled;
            }

            foreach (var message in batch)
            {
                await processor.ProcessAsync(message, CancellationToken.None);
                handled++;
            }
        }

        throw new InvalidOperationException($"the engine did not go idle after {limit} messages");
    }

    /// <summary>
    /// Moves the clock by <paramref name="by"/>, handling every message at its own delivery time on the way: the clock jumps
    /// from one delivery to the next (one query per message, not one per second of test time, which matters on PostgreSQL),
    /// or by one second while the next one is not claimable (leased by a "dead" engine).
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        var queue = services.GetRequiredService<IMessageQueue>();
        var end = Clock.GetUtcNow() + by;
        while (Clock.GetUtcNow() < end)
        {
            var now = Clock.GetUtcNow();
            var next = await queue.NextDeliveryAsync(CancellationToken.None) is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : end;
            var to = next > now ? next : now + TimeSpan.FromSeconds(1);
            Clock.Advance((to < end ? to : end) - now);
            await RunUntilIdleAsync();
        }
    }

    public static StageExecution Stage(PipelineExecution execution, string name) =>
        execution.Stages.Single(s => s.Name == name);

    public async ValueTask DisposeAsync() => await services.DisposeAsync();

    /// <summary>Deletes the store's data folder (call once, after every harness on it is disposed); see <see cref="TestStore.Delete"/>.</summary>
    public void DeleteFolder() => Store.Delete();
}

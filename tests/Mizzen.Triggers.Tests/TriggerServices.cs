using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizzen.Expressions;
using Mizzen.Orchestration;
using Mizzen.Orchestration.Stages;
using Mizzen.Testing.Stores;

namespace Mizzen.Triggers.Tests;

/// <summary>
/// The triggers on the real engine and a real store (a SQLite file or a PostgreSQL database), as the server registers them, without
/// the engine's worker or the schedulers' background loops: a test drives them (dispatches events, runs messages, ticks the cron).
/// </summary>
public sealed class TriggerServices : IAsyncDisposable
{
    private readonly TestStore store;

    private TriggerServices(TestStore store, ServiceProvider provider)
    {
        this.store = store;
        Provider = provider;
    }

    public ServiceProvider Provider { get; }

    public T Get<T>() where T : notnull => Provider.GetRequiredService<T>();

    /// <param name="configure">Registrations after the server's (options of the component under test).</param>
    public static async Task<TriggerServices> CreateAsync(StoreBackend backend, TimeProvider clock, string prefix, Action<IServiceCollection>? configure = null)
    {
        var store = await TestStore.CreateAsync(backend, prefix);
        return new TriggerServices(store, Build(store, clock, configure));
    }

    /// <summary>Another process on the same store (a restart, or a second node): its own container, caches and pollers.</summary>
    public ServiceProvider Restart(TimeProvider clock, Action<IServiceCollection>? configure = null) => Build(store, clock, configure);

    private static ServiceProvider Build(TestStore store, TimeProvider clock, Action<IServiceCollection>? configure)
    {
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        collection.AddSingleton(clock);
        store.AddTo(collection);
        collection.AddMizzenExpressions();
        collection.AddMizzenEngine(startWorker: false);
        collection.AddCoreStages();
        collection.AddMizzenTriggers(startSchedulers: false);
        configure?.Invoke(collection);
        return collection.BuildServiceProvider();
    }

    /// <summary>Runs the engine's queued messages, one claim of 16 after another, until none is due (the worker's job, by hand).</summary>
    public async Task RunUntilIdleAsync()
    {
        var queue = Get<Mizzen.Persistence.Queue.IMessageQueue>();
        var processor = Get<Mizzen.Orchestration.Engine.MessageProcessor>();
        for (var guard = 0; guard < 10_000; guard++)
        {
            var batch = await queue.ClaimAsync(16, TimeSpan.FromMinutes(5), CancellationToken.None);
            if (batch.Count == 0)
            {
                return;
            }

            foreach (var message in batch)
            {
                await processor.ProcessAsync(message, CancellationToken.None);
            }
        }

        throw new InvalidOperationException("the engine did not go idle");
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        store.Delete();
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizzen.Engine.Benchmarks.NoopStage;
using Mizzen.Engine.Benchmarks.Throughput;
using Mizzen.Expressions;
using Mizzen.Orchestration;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages;
using Mizzen.Persistence;
using Mizzen.Persistence.Queue;
using Mizzen.Persistence.Sqlite;

namespace Mizzen.Engine.Benchmarks;

/// <summary>The production registration on a SQLite file in <paramref name="folder"/>, plus <c>bench.noop</c> and a counting queue.</summary>
internal static class BenchServices
{
    public static ServiceProvider Build(string folder, int concurrency, string synchronous = "NORMAL", Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.Configure<StorageOptions>(o =>
        {
            o.DataFolder = folder;
            o.Synchronous = synchronous;
        });
        services.Configure<EngineOptions>(o => o.Concurrency = concurrency);

        // Before AddSqliteStore: its TryAdd of IMessageQueue then leaves this decorator in place.
        services.AddSingleton(sp => new CountingMessageQueue(sp.GetRequiredService<SqliteMessageQueue>()));
        services.AddSingleton<IMessageQueue>(sp => sp.GetRequiredService<CountingMessageQueue>());
        services.AddSqliteStore();
        services.AddMizzenExpressions();
        services.AddMizzenEngine(startWorker: true);
        services.AddCoreStages();
        services.AddSingleton<IStageDefinition, BenchNoopStage>();
        services.AddSingleton<BenchNoopTask>();
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public static string NewFolder(BenchOptions options, string phase) =>
        Path.Combine(options.TempRoot, $"mizzen-bench-{phase}-{Guid.NewGuid():N}");

    public static void DeleteFolder(string folder)
    {
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

using Microsoft.Data.Sqlite;
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

        services.AddSqliteStore();

        // The store's queue, decorated: the worker and the processor resolve IMessageQueue and count through it.
        var storeQueue = services.Last(d => d.ServiceType == typeof(IMessageQueue));
        services.Remove(storeQueue);
        services.AddSingleton(sp => new CountingMessageQueue(Create<IMessageQueue>(sp, storeQueue)));
        services.AddSingleton<IMessageQueue>(sp => sp.GetRequiredService<CountingMessageQueue>());
        services.AddMizzenExpressions();
        services.AddMizzenEngine(startWorker: true);
        services.AddCoreStages();
        services.AddSingleton<IStageDefinition, BenchNoopStage>();
        services.AddSingleton<BenchNoopTask>();
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private static T Create<T>(IServiceProvider services, ServiceDescriptor descriptor) => (T)(
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    /// <summary>
    /// A reader connection on the bench's own SQLite file, for what only a benchmark looks at (query plans, WAL
    /// checkpoints, a cheap count of ended runs while the engine works); the store's classes stay internal.
    /// </summary>
    public static SqliteConnection OpenFile(string folder)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "mizzen.db") }.ToString());
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout=10000;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    public static string NewFolder(BenchOptions options, string phase) =>
        Path.Combine(options.TempRoot, $"mizzen-bench-{phase}-{Guid.NewGuid():N}");

    public static void DeleteFolder(string folder)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

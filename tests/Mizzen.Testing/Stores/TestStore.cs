using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Persistence;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Queue;
using Mizzen.Testing.Postgres;
using Npgsql;

namespace Mizzen.Testing.Stores;

/// <summary>
/// One test's store on a <see cref="StoreBackend"/>: a fresh SQLite data folder, or a fresh PostgreSQL database (from
/// <see cref="TestPostgres"/>) plus a data folder for whatever else a test writes to disk. <see cref="AddTo"/> registers it the
/// way the server does; calling it again on a new service collection is a restart of the process on the same store (same
/// file, or same database).
/// </summary>
public sealed class TestStore
{
    // A database the store has migrated once per test process: copying it costs what copying an empty one does, and each test
    // then skips the migration (some 25 tables and indexes written to the catalog). Its schema is the store's own, not a copy.
    private static readonly Lazy<Task<string>> MigratedTemplate = new(MigrateTemplateAsync);

    private TestStore(StoreBackend backend, string folder, string? connectionString)
    {
        Backend = backend;
        Folder = folder;
        ConnectionString = connectionString;
    }

    public StoreBackend Backend { get; }

    /// <summary>The data folder (<see cref="StorageOptions.DataFolder"/>); holds the SQLite file on <see cref="StoreBackend.Sqlite"/>.</summary>
    public string Folder { get; }

    /// <summary>The PostgreSQL database's connection string; null on <see cref="StoreBackend.Sqlite"/>.</summary>
    public string? ConnectionString { get; }

    /// <summary>A new, empty store. On PostgreSQL this creates a database (starting the test server on first use).</summary>
    public static async Task<TestStore> CreateAsync(StoreBackend backend, string prefix = "mizzen")
    {
        var folder = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        return backend switch
        {
            StoreBackend.Sqlite => new TestStore(backend, folder, null),
            StoreBackend.Postgres => new TestStore(backend, folder, await TestPostgres.CreateDatabaseAsync(prefix, await MigratedTemplate.Value)),
            _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, "unknown store backend"),
        };
    }

    /// <summary>An existing PostgreSQL database (e.g. the target of a store migration), with a fresh data folder.</summary>
    public static TestStore OnPostgresDatabase(string connectionString, string prefix = "mizzen") =>
        new(StoreBackend.Postgres, Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}"), connectionString);

    /// <summary>Registers this store into <paramref name="services"/> as the server does (<c>AddMizzenStore</c> from <c>Mizzen:Storage</c>).</summary>
    public IServiceCollection AddTo(IServiceCollection services)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mizzen:Storage:Provider"] = Backend == StoreBackend.Postgres ? "postgres" : "sqlite",
            ["Mizzen:Storage:ConnectionString"] = ConnectionString,
            ["Mizzen:Storage:DataFolder"] = Folder,
        }).Build();
        services.AddMizzenStore(configuration);

        // One node per test: in-process signals, unless the store's own registration brought a coordination of its own.
        services.TryAddSingleton<INodeCoordination, InProcessCoordination>();
        return services;
    }

    /// <summary>
    /// Deletes the data folder (call once, after every service provider on this store is disposed). A PostgreSQL database stays
    /// until its test server is thrown away (at the end of the test process, or of eng/test.sh's run).
    /// </summary>
    public void Delete()
    {
        if (Backend == StoreBackend.Sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        try
        {
            if (Directory.Exists(Folder))
            {
                Directory.Delete(Folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

    private static async Task<string> MigrateTemplateAsync()
    {
        var template = new TestStore(StoreBackend.Postgres, Path.GetTempPath(), await TestPostgres.CreateDatabaseAsync("mizzen_template"));
        await using (var services = template.AddTo(new ServiceCollection().AddLogging()).BuildServiceProvider())
        {
            // The store migrates its schema before its first query; disposing closes its connections (a template must have none).
            await services.GetRequiredService<IMessageQueue>().DepthAsync(CancellationToken.None);
        }

        return new NpgsqlConnectionStringBuilder(template.ConnectionString).Database!;
    }

    public override string ToString() => Backend == StoreBackend.Postgres ? $"postgres {ConnectionString}" : $"sqlite {Folder}";
}

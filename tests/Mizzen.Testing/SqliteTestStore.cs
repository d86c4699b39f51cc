using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Persistence;

namespace Mizzen.Testing;

/// <summary>
/// The SQLite store built the way a host builds it (<c>AddSqliteStore</c>, so only the store interfaces are visible),
/// on a real file in a fresh data folder, with a test clock. <paramref name="configure"/> adds services first (a
/// decorator registered before <c>AddSqliteStore</c> wins its TryAdd). Disposing closes the pools and deletes the folder.
/// </summary>
public sealed class SqliteTestStore(FakeTimeProvider? clock = null, string? folder = null, Action<IServiceCollection>? configure = null) : IDisposable
{
    public string Folder { get; } = folder ?? Path.Combine(Path.GetTempPath(), "mizzen-test-" + Guid.NewGuid().ToString("N"));

    public FakeTimeProvider Clock { get; } = clock ?? TestTime.Clock();

    /// <summary>The container; built on first use, so a test can prepare the data folder (an old schema) before.</summary>
    public ServiceProvider Services => services ??= Build();

    private ServiceProvider? services;

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public void Dispose()
    {
        services?.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private ServiceProvider Build()
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<TimeProvider>(Clock);
        collection.Configure<StorageOptions>(o => o.DataFolder = Folder);
        configure?.Invoke(collection);
        collection.AddSqliteStore();
        return collection.BuildServiceProvider();
    }
}

using Mizzen.Testing;

namespace Mizzen.Persistence.Tests.Lookups;

/// <summary>The lookup reads contract on a real SQLite file, built through <c>AddSqliteStore</c>.</summary>
public sealed class SqliteStoreLookupReadsTests : StoreLookupReadsContract
{
    private SqliteTestStore? sqlite;

    protected override Task<IServiceProvider> CreateAsync()
    {
        sqlite = new SqliteTestStore();
        return Task.FromResult<IServiceProvider>(sqlite.Services);
    }

    protected override Task DisposeStoreAsync()
    {
        sqlite?.Dispose();
        return Task.CompletedTask;
    }
}

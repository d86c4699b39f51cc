using Mizzen.Persistence.Documents;
using Mizzen.Testing;

namespace Mizzen.Persistence.Tests.Documents;

/// <summary>The document store contract on a real SQLite file, built through <c>AddSqliteStore</c>.</summary>
public sealed class SqliteDocumentStoreTests : DocumentStoreContract
{
    private SqliteTestStore? sqlite;

    protected override Task<IDocumentStore> CreateAsync()
    {
        sqlite = new SqliteTestStore(Clock);
        return Task.FromResult(sqlite.Get<IDocumentStore>());
    }

    protected override Task DisposeStoreAsync()
    {
        sqlite?.Dispose();
        return Task.CompletedTask;
    }
}

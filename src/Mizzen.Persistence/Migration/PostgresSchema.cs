namespace Mizzen.Persistence.Migration;

/// <summary>
/// Creates or migrates the target's schema through the PostgreSQL backend's own start-up, so a migrated store has exactly the
/// schema a server would give it.
/// </summary>
internal static class PostgresSchema
{
    // Until the PostgreSQL backend (AddPostgresStore) is merged, the target's schema must exist already.
    public static Task PrepareAsync(StoreLocation location, CancellationToken cancellationToken) => Task.CompletedTask;
}

namespace Mizzen.Testing.Stores;

/// <summary>
/// The stores Mizzen runs on. Every store and engine semantics test runs once per backend (an abstract test class with one
/// small sealed subclass per backend, named <c>…OnSqlite</c> and <c>…OnPostgres</c>), so a behaviour one store gets wrong fails
/// under that store's name.
/// </summary>
public enum StoreBackend
{
    /// <summary>The embedded default: one SQLite file in a data folder.</summary>
    Sqlite,

    /// <summary>A database on a real PostgreSQL (<see cref="Postgres.TestPostgres"/>).</summary>
    Postgres,
}

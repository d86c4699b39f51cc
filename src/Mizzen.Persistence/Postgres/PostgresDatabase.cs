using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Npgsql;

namespace Mizzen.Persistence.Postgres;

/// <summary>
/// The PostgreSQL database shared by every node: one <see cref="NpgsqlDataSource"/> (Npgsql's connection pool) per store.
/// The schema is migrated once, before the first connection is handed out (and at start by <see cref="PostgresSchemaStartup"/>,
/// so a database too new for this Mizzen stops the server at once instead of at its first request).
/// </summary>
internal sealed partial class PostgresDatabase : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger<PostgresDatabase> logger;
    private readonly SemaphoreSlim migrateGate = new(1, 1);
    private volatile bool migrated;

    public PostgresDatabase(IOptions<StorageOptions> options, ILogger<PostgresDatabase> logger)
    {
        this.logger = logger;
        var connectionString = options.Value.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ValidationException("Mizzen:Storage:ConnectionString",
                "a PostgreSQL connection string is required when Mizzen:Storage:Provider is postgres (Host=...;Database=...;Username=...;Password=...)");
        }

        try
        {
            dataSource = NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException e)
        {
            // The message names the bad keyword; the connection string itself may hold a password and is not repeated.
            throw new ValidationException("Mizzen:Storage:ConnectionString", $"not a valid Npgsql connection string: {e.Message}");
        }
    }

    /// <summary>An open pooled connection; the schema is current before the first one.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!migrated)
        {
            await EnsureMigratedAsync(cancellationToken);
        }

        return await dataSource.OpenConnectionAsync(cancellationToken);
    }

    /// <summary>Migrates the schema (once per process; across nodes the advisory lock makes it once per database).</summary>
    public async Task EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        await migrateGate.WaitAsync(cancellationToken);
        try
        {
            if (migrated)
            {
                return;
            }

            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var found = await PostgresSchema.MigrateAsync(connection, cancellationToken);
            if (found < PostgresSchema.Latest)
            {
                LogMigrated(found, PostgresSchema.Latest);
            }

            migrated = true;
        }
        finally
        {
            migrateGate.Release();
        }
    }

    public void Dispose()
    {
        dataSource.Dispose();
        migrateGate.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await dataSource.DisposeAsync();
        migrateGate.Dispose();
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "PostgreSQL schema migrated from version {From} to {To}")]
    private partial void LogMigrated(int from, int to);
}

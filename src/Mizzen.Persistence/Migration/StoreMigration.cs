using Mizzen.Core.Errors;
using Npgsql;

namespace Mizzen.Persistence.Migration;

/// <summary>
/// Moves a whole store from SQLite to PostgreSQL (<c>mizzen admin migrate-store</c>), for a team that outgrows one machine:
/// applications, pipelines with every revision, executions with their stages, pending starts, queued messages and documents
/// (canary configs with revisions, canary reports). Each side is opened by its backend's own start-up, so the target's schema is
/// the one a server would create. The source must be idle (its data folder's lock is taken); the target must be empty (checked
/// before anything is written). The copy is one PostgreSQL transaction, verified table by table before it commits: it lands
/// whole or not at all.
/// </summary>
public static class StoreMigration
{
    /// <summary>Copies <paramref name="from"/> into <paramref name="to"/>; <paramref name="copied"/> hears of each table as it is done.</summary>
    public static async Task<MigrationReport> RunAsync(
        StoreLocation from, StoreLocation to, Action<TableCount>? copied, CancellationToken cancellationToken)
    {
        if (from.Backend != StoreBackend.Sqlite || to.Backend != StoreBackend.Postgres)
        {
            throw new StoreMigrationException(
                $"a store migrates from SQLite to PostgreSQL (--from sqlite:PATH --to postgres:CONNECTION), not from {from.Backend} to {to.Backend}");
        }

        try
        {
            using var source = SqliteMigrationSource.Open(from);
            await using var target = await PostgresMigrationTarget.OpenAsync(to, MigrationTables.All, cancellationToken);
            await target.EnsureEmptyAsync(MigrationTables.All, cancellationToken);
            var counts = new List<TableCount>();
            foreach (var table in MigrationTables.All)
            {
                var count = await CopyTableAsync(source, target, table, cancellationToken);
                counts.Add(count);
                copied?.Invoke(count);
            }

            await target.CommitAsync(cancellationToken);
            return new MigrationReport(from, to, counts);
        }
        catch (NpgsqlException e)
        {
            throw new StoreMigrationException($"--to: {to}: {e.Message.TrimEnd('.')} (nothing was migrated)", ErrorKind.Upstream, e);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            throw new StoreMigrationException($"--from: {from}: {e.Message.TrimEnd('.')} (nothing was migrated)", ErrorKind.Conflict, e);
        }
    }

    private static async Task<TableCount> CopyTableAsync(
        SqliteMigrationSource source, PostgresMigrationTarget target, MigrationTable table, CancellationToken cancellationToken)
    {
        var sourceColumns = source.Columns(table.Name);
        var targetColumns = await target.ColumnsAsync(table.Name, cancellationToken);
        var columns = new List<(string Name, string Type)>();
        foreach (var column in sourceColumns)
        {
            if (!targetColumns.TryGetValue(column, out var type))
            {
                throw new StoreMigrationException(
                    $"--to: {table.Name} has no column {column} in the target: the source was written by a newer Mizzen than the target's schema",
                    ErrorKind.Conflict);
            }

            columns.Add((column, type));
        }

        var expected = source.Count(table.Name, table.Where);
        var written = await source.ReadAsync(table, sourceColumns, rows => target.CopyAsync(table.Name, columns, rows, cancellationToken));
        await target.AdvanceSequencesAsync(table.Name, targetColumns.Keys, cancellationToken);
        var held = await target.CountAsync(table.Name, cancellationToken);
        if (written != expected || held != expected)
        {
            throw new StoreMigrationException(
                $"{table.Name}: the source holds {expected} rows to copy, {written} were copied and the target holds {held}; nothing was migrated",
                ErrorKind.Internal);
        }

        return new TableCount(table.Name, expected, held, Note(source, table));
    }

    private static string? Note(SqliteMigrationSource source, MigrationTable table)
    {
        if (table != MigrationTables.Queue)
        {
            return null;
        }

        var leased = source.Count("queue", "lease_token IS NOT NULL");
        var twins = source.Count("queue") - source.Count("queue", table.Where);
        var parts = new List<string>();
        if (leased > twins)
        {
            parts.Add($"{leased - twins} leased, now deliverable");
        }

        if (twins > 0)
        {
            parts.Add($"{twins} leased duplicate(s) of a waiting message left out");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}

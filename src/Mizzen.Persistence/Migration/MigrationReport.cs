namespace Mizzen.Persistence.Migration;

/// <summary>One table after the copy: rows read from the source, rows the target holds. Equal, or the migration failed.</summary>
public sealed record TableCount(string Table, long Source, long Target, string? Note = null);

/// <summary>What a migration copied, table by table in the order it copied them.</summary>
public sealed record MigrationReport(StoreLocation From, StoreLocation To, IReadOnlyList<TableCount> Tables)
{
    public long Rows => Tables.Sum(t => t.Target);
}

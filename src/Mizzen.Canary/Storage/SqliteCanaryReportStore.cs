using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Persistence.Sqlite;

namespace Mizzen.Canary.Storage;

/// <summary>Interval reports in the <c>documents</c> table: collection <c>canary-report:{canaryExecutionId}</c>, key <c>{interval:D6}</c>.</summary>
public sealed class SqliteCanaryReportStore(SqliteDatabase database, TimeProvider timeProvider) : ICanaryReportStore
{
    private const string CollectionPrefix = "canary-report:";

    public async Task SaveAsync(string canaryExecutionId, int interval, JsonObject report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        using var upsert = scope.Command("""
            INSERT INTO documents (collection, key, body, updated_at) VALUES ($c, $k, $b, $t)
            ON CONFLICT(collection, key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at
            """);
        upsert.Parameters.AddWithValue("$c", CollectionPrefix + canaryExecutionId);
        upsert.Parameters.AddWithValue("$k", interval.ToString("D6", CultureInfo.InvariantCulture));
        upsert.Parameters.AddWithValue("$b", report.ToJsonString());
        upsert.Parameters.AddWithValue("$t", timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        upsert.ExecuteNonQuery();
        scope.Commit();
    }

    public Task<IReadOnlyList<StoredCanaryReport>> ListAsync(string canaryExecutionId, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, body, updated_at FROM documents WHERE collection = $c ORDER BY key";
        command.Parameters.AddWithValue("$c", CollectionPrefix + canaryExecutionId);
        var found = new List<StoredCanaryReport>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            found.Add(new StoredCanaryReport(
                canaryExecutionId,
                int.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
                MizzenJson.ParseObject(reader.GetString(1)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
        }

        return Task.FromResult<IReadOnlyList<StoredCanaryReport>>(found);
    }
}

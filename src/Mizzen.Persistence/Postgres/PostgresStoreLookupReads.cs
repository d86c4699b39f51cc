using System.Text.Json;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Persistence.Documents;
using Mizzen.Persistence.Lookups;

namespace Mizzen.Persistence.Postgres;

/// <summary>The expression lookups' reads with Npgsql's synchronous I/O (real synchronous socket reads, not a blocked Task).</summary>
internal sealed class PostgresStoreLookupReads(PostgresDatabase database) : IStoreLookupReads
{
    public string? FindPipelineId(string application, string pipelineName)
    {
        using var connection = database.Open();
        using var command = PostgresSql.Command(connection, null, "SELECT id FROM pipeline_configs WHERE application = $1 AND name_lower = $2",
            application.ToLowerInvariant(), pipelineName.ToLowerInvariant());
        return command.ExecuteScalar() as string;
    }

    public Application? FindApplication(string name)
    {
        using var connection = database.Open();
        using var command = PostgresSql.Command(connection, null, "SELECT body FROM applications WHERE name = $1", name.ToLowerInvariant());
        return command.ExecuteScalar() is string body
            ? JsonSerializer.Deserialize(body, MizzenJson.Context.Application) ?? throw new JsonException("stored application is null")
            : null;
    }

    public IReadOnlyList<StoredDocument> ListDocuments(string collection)
    {
        using var connection = database.Open();
        using var command = PostgresSql.Command(connection, null, """
            SELECT DISTINCT ON (key) collection, key, revision, body, saved_by, saved_at FROM document_revisions
            WHERE collection = $1 ORDER BY key, revision DESC
            """, collection);
        var found = new List<StoredDocument>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            found.Add(new StoredDocument(
                reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }

        return found;
    }
}

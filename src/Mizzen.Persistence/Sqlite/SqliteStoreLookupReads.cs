using System.Text.Json;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Persistence.Documents;
using Mizzen.Persistence.Lookups;

namespace Mizzen.Persistence.Sqlite;

/// <summary>The expression lookups' reads on a pooled reader connection, with Microsoft.Data.Sqlite's synchronous I/O.</summary>
internal sealed class SqliteStoreLookupReads(SqliteDatabase database) : IStoreLookupReads
{
    public string? FindPipelineId(string application, string pipelineName)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM pipeline_configs WHERE application = $a AND name_lower = $n";
        command.Parameters.AddWithValue("$a", application.ToLowerInvariant());
        command.Parameters.AddWithValue("$n", pipelineName.ToLowerInvariant());
        return command.ExecuteScalar() as string;
    }

    public Application? FindApplication(string name)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM applications WHERE name = $name";
        command.Parameters.AddWithValue("$name", name.ToLowerInvariant());
        return command.ExecuteScalar() is string body
            ? JsonSerializer.Deserialize(body, MizzenJson.Context.Application) ?? throw new JsonException("stored application is null")
            : null;
    }

    public IReadOnlyList<StoredDocument> ListDocuments(string collection) => SqliteDocumentStore.Latest(database, collection);
}

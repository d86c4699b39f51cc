using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Mizzen.Canary.Configs;
using Mizzen.Core.Json;
using Mizzen.Persistence.Sqlite;

namespace Mizzen.Canary.Storage;

/// <summary>
/// Canary configs in the server's SQLite file, in the schema's generic <c>documents</c> table (no migration needed):
/// collection <c>canary-config:{application}</c>, key <c>{id}/{revision:D8}</c>, one row per revision with who saved it
/// and when. The latest revision is the highest key of an id.
/// </summary>
public sealed class SqliteCanaryConfigStore(SqliteDatabase database, TimeProvider timeProvider) : ICanaryConfigStore
{
    private const string CollectionPrefix = "canary-config:";

    public async Task<StoredCanaryConfig> SaveAsync(string application, CanaryConfig config, string savedBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(application);
        ArgumentNullException.ThrowIfNull(config);
        var copy = CanaryConfigJson.Parse(CanaryConfigJson.Serialize(config));
        copy.Id = string.IsNullOrEmpty(copy.Id) ? Guid.NewGuid().ToString() : copy.Id;
        if (copy.Id.Contains('/', StringComparison.Ordinal))
        {
            throw new CanaryConfigException($"canary config id '{copy.Id}' must not contain '/'", [new CanaryConfigIssue(CanaryConfigIssueSeverity.Error, "id", "must not contain '/'")]);
        }

        var now = timeProvider.GetUtcNow();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        int revision;
        using (var latest = scope.Command("SELECT MAX(key) FROM documents WHERE collection = $c AND key >= $from AND key < $to"))
        {
            Range(latest, application, copy.Id);
            revision = latest.ExecuteScalar() is string key ? RevisionOf(key) + 1 : 1;
        }

        var stored = new StoredCanaryConfig(application, copy.Id, revision, copy, savedBy, now);
        using (var insert = scope.Command("INSERT INTO documents (collection, key, body, updated_at) VALUES ($c, $k, $b, $t)"))
        {
            insert.Parameters.AddWithValue("$c", CollectionPrefix + application);
            insert.Parameters.AddWithValue("$k", Key(copy.Id, revision));
            insert.Parameters.AddWithValue("$b", Write(stored));
            insert.Parameters.AddWithValue("$t", now.ToUnixTimeMilliseconds());
            insert.ExecuteNonQuery();
        }

        scope.Commit();
        return stored;
    }

    public Task<StoredCanaryConfig?> GetAsync(string application, string id, int? revision, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        if (revision is { } r)
        {
            command.CommandText = "SELECT body FROM documents WHERE collection = $c AND key = $k";
            command.Parameters.AddWithValue("$c", CollectionPrefix + application);
            command.Parameters.AddWithValue("$k", Key(id, r));
        }
        else
        {
            command.CommandText = "SELECT body FROM documents WHERE collection = $c AND key >= $from AND key < $to ORDER BY key DESC LIMIT 1";
            Range(command, application, id);
        }

        return Task.FromResult(command.ExecuteScalar() is string body ? Read(body) : null);
    }

    public Task<StoredCanaryConfig?> FindAsync(string id, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT body FROM documents
            WHERE substr(collection, 1, length($p)) = $p AND key >= $from AND key < $to
            ORDER BY key DESC LIMIT 1
            """;
        command.Parameters.AddWithValue("$p", CollectionPrefix);
        command.Parameters.AddWithValue("$from", id + "/");
        command.Parameters.AddWithValue("$to", id + "0");
        return Task.FromResult(command.ExecuteScalar() is string body ? Read(body) : null);
    }

    public Task<IReadOnlyList<StoredCanaryConfig>> ListAsync(string application, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredCanaryConfig> latest = Query(application, null)
            .GroupBy(s => s.Id, StringComparer.Ordinal)
            .Select(g => g.MaxBy(s => s.Revision)!)
            .OrderBy(s => s.Config.Name, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(latest);
    }

    public Task<IReadOnlyList<StoredCanaryConfig>> ListRevisionsAsync(string application, string id, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<StoredCanaryConfig>>(Query(application, id).OrderBy(s => s.Revision).ToList());

    public async Task<bool> DeleteAsync(string application, string id, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        using var delete = scope.Command("DELETE FROM documents WHERE collection = $c AND key >= $from AND key < $to");
        Range(delete, application, id);
        var deleted = delete.ExecuteNonQuery();
        scope.Commit();
        return deleted > 0;
    }

    private List<StoredCanaryConfig> Query(string application, string? id)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        if (id is null)
        {
            command.CommandText = "SELECT body FROM documents WHERE collection = $c";
            command.Parameters.AddWithValue("$c", CollectionPrefix + application);
        }
        else
        {
            command.CommandText = "SELECT body FROM documents WHERE collection = $c AND key >= $from AND key < $to";
            Range(command, application, id);
        }

        var found = new List<StoredCanaryConfig>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            found.Add(Read(reader.GetString(0)));
        }

        return found;
    }

    /// <summary>Every key of one id: from <c>id/</c> up to (not including) <c>id0</c> ('0' follows '/').</summary>
    private static void Range(SqliteCommand command, string application, string id)
    {
        command.Parameters.AddWithValue("$c", CollectionPrefix + application);
        command.Parameters.AddWithValue("$from", id + "/");
        command.Parameters.AddWithValue("$to", id + "0");
    }

    private static string Key(string id, int revision) => string.Create(CultureInfo.InvariantCulture, $"{id}/{revision:D8}");

    private static int RevisionOf(string key) => int.Parse(key[(key.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture);

    private static string Write(StoredCanaryConfig stored) => new JsonObject
    {
        ["application"] = stored.Application,
        ["id"] = stored.Id,
        ["revision"] = stored.Revision,
        ["savedBy"] = stored.SavedBy,
        ["savedAt"] = stored.SavedAt.ToUnixTimeMilliseconds(),
        ["config"] = JsonNode.Parse(CanaryConfigJson.Serialize(stored.Config)),
    }.ToJsonString();

    private static StoredCanaryConfig Read(string body)
    {
        var json = MizzenJson.ParseObject(body);
        return new StoredCanaryConfig(
            json["application"].AsString() ?? string.Empty,
            json["id"].AsString() ?? string.Empty,
            (int)(json["revision"].AsLong() ?? 1),
            CanaryConfigJson.Parse(json["config"]?.ToJsonString() ?? "{}"),
            json["savedBy"].AsString() ?? string.Empty,
            DateTimeOffset.FromUnixTimeMilliseconds(json["savedAt"].AsLong() ?? 0));
    }
}

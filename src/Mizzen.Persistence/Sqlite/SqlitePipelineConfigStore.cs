using Mizzen.Core.Model;
using Mizzen.Persistence.Audit;
using Mizzen.Persistence.Pipelines;

namespace Mizzen.Persistence.Sqlite;

internal sealed class SqlitePipelineConfigStore(SqliteDatabase database, TimeProvider time) : IPipelineConfigStore
{
    public Task<IReadOnlyList<PipelineConfig>> ListAsync(string application, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM pipeline_configs WHERE application = $app ORDER BY name_lower";
        command.Parameters.AddWithValue("$app", application.ToLowerInvariant());
        var result = new List<PipelineConfig>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(PipelineConfig.Parse(reader.GetString(0)));
        }

        return Task.FromResult<IReadOnlyList<PipelineConfig>>(result);
    }

    public Task<IReadOnlyList<PipelineConfig>> ListWithTriggersAsync(CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT body FROM pipeline_configs
            WHERE json_type(body, '$.triggers') = 'array' AND json_array_length(body, '$.triggers') > 0
            ORDER BY application, name_lower
            """;
        var result = new List<PipelineConfig>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(PipelineConfig.Parse(reader.GetString(0)));
        }

        return Task.FromResult<IReadOnlyList<PipelineConfig>>(result);
    }

    public Task<string> ChangeStampAsync(CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COALESCE(SUM(revision), 0), COALESCE(MAX(updated_at), 0) FROM pipeline_configs";
        using var reader = command.ExecuteReader();
        reader.Read();
        return Task.FromResult(FormattableString.Invariant($"{reader.GetInt64(0)}:{reader.GetInt64(1)}:{reader.GetInt64(2)}"));
    }

    public Task<PipelineConfig?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(QueryOne("SELECT body FROM pipeline_configs WHERE id = $a", id, null));

    public Task<PipelineConfig?> FindByNameAsync(string application, string name, CancellationToken cancellationToken) =>
        Task.FromResult(QueryOne("SELECT body FROM pipeline_configs WHERE application = $a AND name_lower = $b",
            application.ToLowerInvariant(), name.ToLowerInvariant()));

    public Task<int> SaveAsync(PipelineConfig config, string user, CancellationToken cancellationToken) =>
        SaveCoreAsync(config, user, null, cancellationToken);

    public Task<int> SaveAsync(PipelineConfig config, string user, Func<string?, int, AuditRecord> audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return SaveCoreAsync(config, user, audit, cancellationToken);
    }

    private async Task<int> SaveCoreAsync(PipelineConfig config, string user, Func<string?, int, AuditRecord>? audit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var application = config.Application.ToLowerInvariant();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        if (string.IsNullOrEmpty(config.Id))
        {
            // Same name in the same application is the same pipeline (Front50 matches on name when no id is given).
            using var byName = scope.Command("SELECT id FROM pipeline_configs WHERE application = $a AND name_lower = $n");
            byName.Parameters.AddWithValue("$a", application);
            byName.Parameters.AddWithValue("$n", config.Name.ToLowerInvariant());
            config.Id = byName.ExecuteScalar() as string ?? Guid.CreateVersion7(time.GetUtcNow()).ToString();
        }
        else
        {
            // Names identify pipelines (triggers, #pipelineId, the CLI): a second pipeline may not take one (Front50's check).
            using var other = scope.Command("SELECT id FROM pipeline_configs WHERE application = $a AND name_lower = $n AND id <> $id");
            other.Parameters.AddWithValue("$a", application);
            other.Parameters.AddWithValue("$n", config.Name.ToLowerInvariant());
            other.Parameters.AddWithValue("$id", config.Id);
            if (other.ExecuteScalar() is string taken)
            {
                throw new Core.Errors.ConflictException(
                    $"A pipeline named '{config.Name}' already exists in application '{config.Application}' (id {taken}); rename this one or save it with that id");
            }
        }

        string? before = null;
        if (audit is not null)
        {
            using var stored = scope.Command("SELECT body FROM pipeline_configs WHERE id = $id");
            stored.Parameters.AddWithValue("$id", config.Id);
            before = stored.ExecuteScalar() as string;
        }

        config.Json["updateTs"] = now.ToString(System.Globalization.CultureInfo.InvariantCulture);
        config.Json["lastModifiedBy"] = user;
        int revision;
        using (var next = scope.Command("SELECT COALESCE(MAX(revision), 0) + 1 FROM pipeline_config_revisions WHERE id = $id"))
        {
            next.Parameters.AddWithValue("$id", config.Id);
            revision = Convert.ToInt32(next.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var body = config.Json.ToJsonString();
        using (var upsert = scope.Command("""
                   INSERT INTO pipeline_configs (id, application, name_lower, revision, body, updated_at, updated_by)
                   VALUES ($id, $a, $n, $r, $body, $now, $user)
                   ON CONFLICT(id) DO UPDATE SET application = excluded.application, name_lower = excluded.name_lower,
                     revision = excluded.revision, body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by;
                   INSERT INTO pipeline_config_revisions (id, revision, body, user, ts) VALUES ($id, $r, $body, $user, $now);
                   """))
        {
            upsert.Parameters.AddWithValue("$id", config.Id);
            upsert.Parameters.AddWithValue("$a", application);
            upsert.Parameters.AddWithValue("$n", config.Name.ToLowerInvariant());
            upsert.Parameters.AddWithValue("$r", revision);
            upsert.Parameters.AddWithValue("$body", body);
            upsert.Parameters.AddWithValue("$now", now);
            upsert.Parameters.AddWithValue("$user", user);
            upsert.ExecuteNonQuery();
        }

        if (audit is not null)
        {
            SqliteAuditStore.Insert(scope, [audit(before, revision)]);
        }

        scope.Commit();
        return revision;
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => DeleteCoreAsync(id, null, cancellationToken);

    public Task<bool> DeleteAsync(string id, Func<string, AuditRecord> audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return DeleteCoreAsync(id, audit, cancellationToken);
    }

    private async Task<bool> DeleteCoreAsync(string id, Func<string, AuditRecord>? audit, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        string? deleted;
        using (var command = scope.Command("DELETE FROM pipeline_configs WHERE id = $id RETURNING body"))
        {
            command.Parameters.AddWithValue("$id", id);
            deleted = command.ExecuteScalar() as string;
        }

        if (deleted is not null && audit is not null)
        {
            SqliteAuditStore.Insert(scope, [audit(deleted)]);
        }

        scope.Commit();
        return deleted is not null;
    }

    public Task<IReadOnlyList<PipelineConfigRevision>> HistoryAsync(string id, int limit, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT revision, user, ts, body FROM pipeline_config_revisions WHERE id = $id ORDER BY revision DESC LIMIT $limit";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 1000));
        var result = new List<PipelineConfigRevision>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new PipelineConfigRevision(id, reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2), PipelineConfig.Parse(reader.GetString(3))));
        }

        return Task.FromResult<IReadOnlyList<PipelineConfigRevision>>(result);
    }

    public Task<PipelineConfigRevision?> GetRevisionAsync(string id, int revision, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT user, ts, body FROM pipeline_config_revisions WHERE id = $id AND revision = $r";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$r", revision);
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read()
            ? new PipelineConfigRevision(id, revision, reader.GetString(0), reader.GetInt64(1), PipelineConfig.Parse(reader.GetString(2)))
            : null);
    }

    private PipelineConfig? QueryOne(string sql, string a, string? b)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$a", a);
        if (b is not null)
        {
            command.Parameters.AddWithValue("$b", b);
        }

        return command.ExecuteScalar() is string body ? PipelineConfig.Parse(body) : null;
    }
}

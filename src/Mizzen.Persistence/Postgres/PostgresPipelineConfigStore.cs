using Mizzen.Core.Model;
using Mizzen.Persistence.Audit;
using Mizzen.Persistence.Pipelines;
namespace Mizzen.Persistence.Postgres;

/// <summary>
/// Pipeline configs with their revisions. Saves into one application take turns (an advisory lock per application), so two
/// nodes saving the same new name do not create two pipelines, and revision numbers of one config never collide.
/// </summary>
internal sealed class PostgresPipelineConfigStore(PostgresDatabase database, TimeProvider time) : IPipelineConfigStore
{
    /// <summary>The first key of the two-key advisory locks on applications' pipeline configs ("pcfg").</summary>
    private const int ApplicationLockSpace = 0x70636667;

    public async Task<IReadOnlyList<PipelineConfig>> ListAsync(string application, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null,
            "SELECT body FROM pipeline_configs WHERE application = $1 ORDER BY name_lower", application.ToLowerInvariant());
        var result = new List<PipelineConfig>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(PipelineConfig.Parse(reader.GetString(0)));
        }

        return result;
    }

    public async Task<IReadOnlyList<PipelineConfig>> ListWithTriggersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null, """
            SELECT body FROM pipeline_configs
            WHERE CASE WHEN jsonb_typeof(body::jsonb -> 'triggers') = 'array' THEN jsonb_array_length(body::jsonb -> 'triggers') ELSE 0 END > 0
            ORDER BY application, name_lower
            """);
        var result = new List<PipelineConfig>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(PipelineConfig.Parse(reader.GetString(0)));
        }

        return result;
    }

    public async Task<string> ChangeStampAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null,
            "SELECT COUNT(*), COALESCE(SUM(revision), 0)::bigint, COALESCE(MAX(updated_at), 0) FROM pipeline_configs");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return FormattableString.Invariant($"{reader.GetInt64(0)}:{reader.GetInt64(1)}:{reader.GetInt64(2)}");
    }

    public Task<PipelineConfig?> GetAsync(string id, CancellationToken cancellationToken) =>
        QueryOneAsync("SELECT body FROM pipeline_configs WHERE id = $1", [id], cancellationToken);

    public Task<PipelineConfig?> FindByNameAsync(string application, string name, CancellationToken cancellationToken) =>
        QueryOneAsync("SELECT body FROM pipeline_configs WHERE application = $1 AND name_lower = $2",
            [application.ToLowerInvariant(), name.ToLowerInvariant()], cancellationToken);

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
        var nameLower = config.Name.ToLowerInvariant();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockApplication = PostgresSql.Command(connection, transaction,
                         "SELECT pg_advisory_xact_lock($1, hashtext($2))", ApplicationLockSpace, application))
        {
            await lockApplication.ExecuteNonQueryAsync(cancellationToken);
        }

        if (string.IsNullOrEmpty(config.Id))
        {
            // Same name in the same application is the same pipeline (Front50 matches on name when no id is given).
            await using var byName = PostgresSql.Command(connection, transaction,
                "SELECT id FROM pipeline_configs WHERE application = $1 AND name_lower = $2", application, nameLower);
            config.Id = await byName.ExecuteScalarAsync(cancellationToken) as string ?? Guid.CreateVersion7(time.GetUtcNow()).ToString();
        }
        else
        {
            // Names identify pipelines (triggers, #pipelineId, the CLI): a second pipeline may not take one (Front50's check).
            await using var other = PostgresSql.Command(connection, transaction,
                "SELECT id FROM pipeline_configs WHERE application = $1 AND name_lower = $2 AND id <> $3", application, nameLower, config.Id);
            if (await other.ExecuteScalarAsync(cancellationToken) is string taken)
            {
                throw new Core.Errors.ConflictException(
                    $"A pipeline named '{config.Name}' already exists in application '{config.Application}' (id {taken}); rename this one or save it with that id");
            }
        }

        string? before = null;
        if (audit is not null)
        {
            await using var stored = PostgresSql.Command(connection, transaction, "SELECT body FROM pipeline_configs WHERE id = $1", config.Id);
            before = await stored.ExecuteScalarAsync(cancellationToken) as string;
        }

        config.Json["updateTs"] = now.ToString(System.Globalization.CultureInfo.InvariantCulture);
        config.Json["lastModifiedBy"] = user;
        var body = config.Json.ToJsonString();

        // One statement: the next revision (under the application's lock), its history row and the current config.
        await using var save = PostgresSql.Command(connection, transaction, """
            WITH saved AS (
                INSERT INTO pipeline_config_revisions (id, revision, body, "user", ts)
                SELECT $1, COALESCE(MAX(revision), 0) + 1, $4, $6, $5 FROM pipeline_config_revisions WHERE id = $1
                RETURNING revision),
            config_row AS (
                INSERT INTO pipeline_configs (id, application, name_lower, revision, body, updated_at, updated_by)
                SELECT $1, $2, $3, saved.revision, $4, $5, $6 FROM saved
                ON CONFLICT (id) DO UPDATE SET application = excluded.application, name_lower = excluded.name_lower,
                  revision = excluded.revision, body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by)
            SELECT revision FROM saved
            """, config.Id, application, nameLower, body, now, user);
        var revision = Convert.ToInt32(await save.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        if (audit is not null)
        {
            await PostgresAuditStore.AppendAsync(connection, transaction, audit(before, revision), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return revision;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null, "DELETE FROM pipeline_configs WHERE id = $1", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<bool> DeleteAsync(string id, Func<string, AuditRecord> audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string? deleted;
        await using (var command = PostgresSql.Command(connection, transaction, "DELETE FROM pipeline_configs WHERE id = $1 RETURNING body", id))
        {
            deleted = await command.ExecuteScalarAsync(cancellationToken) as string;
        }

        if (deleted is null)
        {
            return false; // nothing changed: disposing rolls the empty transaction back
        }

        await PostgresAuditStore.AppendAsync(connection, transaction, audit(deleted), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<PipelineConfigRevision>> HistoryAsync(string id, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null,
            "SELECT revision, \"user\", ts, body FROM pipeline_config_revisions WHERE id = $1 ORDER BY revision DESC LIMIT $2",
            id, Math.Clamp(limit, 1, 1000));
        var result = new List<PipelineConfigRevision>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new PipelineConfigRevision(id, reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2), PipelineConfig.Parse(reader.GetString(3))));
        }

        return result;
    }

    public async Task<PipelineConfigRevision?> GetRevisionAsync(string id, int revision, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null,
            "SELECT \"user\", ts, body FROM pipeline_config_revisions WHERE id = $1 AND revision = $2", id, revision);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PipelineConfigRevision(id, revision, reader.GetString(0), reader.GetInt64(1), PipelineConfig.Parse(reader.GetString(2)))
            : null;
    }

    private async Task<PipelineConfig?> QueryOneAsync(string sql, object?[] values, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null, sql, values);
        return await command.ExecuteScalarAsync(cancellationToken) is string body ? PipelineConfig.Parse(body) : null;
    }
}

using System.Text.Json;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Audit;
using Npgsql;

namespace Mizzen.Persistence.Postgres;

internal sealed class PostgresApplicationStore(PostgresDatabase database, TimeProvider time) : IApplicationStore
{
    public async Task<IReadOnlyList<Application>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null, "SELECT body FROM applications ORDER BY name");
        var result = new List<Application>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(Read(reader.GetString(0)));
        }

        return result;
    }

    public async Task<Application?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null, "SELECT body FROM applications WHERE name = $1", name.ToLowerInvariant());
        return await command.ExecuteScalarAsync(cancellationToken) is string body ? Read(body) : null;
    }

    /// <summary>Keeps the stored creation time; the row lock orders concurrent saves of one application.</summary>
    public Task SaveAsync(Application application, CancellationToken cancellationToken) => SaveCoreAsync(application, null, cancellationToken);

    public Task SaveAsync(Application application, Func<Application?, AuditRecord> audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return SaveCoreAsync(application, audit, cancellationToken);
    }

    private async Task SaveCoreAsync(Application application, Func<Application?, AuditRecord>? audit, CancellationToken cancellationToken)
    {
        application.Name = application.Name.ToLowerInvariant();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        application.UpdateTs = now;
        application.CreateTs ??= now;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Application? before = null;
        await using (var existing = PostgresSql.Command(connection, transaction, "SELECT body FROM applications WHERE name = $1 FOR UPDATE", application.Name))
        {
            if (await existing.ExecuteScalarAsync(cancellationToken) is string body)
            {
                before = Read(body);
                application.CreateTs = before.CreateTs ?? now;
            }
        }

        await using (var upsert = PostgresSql.Command(connection, transaction, """
                         INSERT INTO applications (name, body, updated_at) VALUES ($1, $2, $3)
                         ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at
                         """, application.Name, JsonSerializer.Serialize(application, MizzenJson.Context.Application), now))
        {
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (audit is not null)
        {
            await PostgresAuditStore.AppendAsync(connection, transaction, audit(before), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => DeleteCoreAsync(name, null, cancellationToken);

    public Task<bool> DeleteAsync(string name, Func<Application, AuditRecord> audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return DeleteCoreAsync(name, audit, cancellationToken);
    }

    /// <summary>One transaction: the application's configs, their revisions, the application (its body returned for the audit record).</summary>
    private async Task<bool> DeleteCoreAsync(string name, Func<Application, AuditRecord>? audit, CancellationToken cancellationToken)
    {
        var lower = name.ToLowerInvariant();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                PostgresSql.Statement(
                    "DELETE FROM pipeline_config_revisions WHERE id IN (SELECT id FROM pipeline_configs WHERE application = $1)", lower),
                PostgresSql.Statement("DELETE FROM pipeline_configs WHERE application = $1", lower),
                PostgresSql.Statement("DELETE FROM applications WHERE name = $1 RETURNING body", lower),
            },
        };
        string? body = null;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            do
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    body = reader.GetString(0);
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        if (body is not null && audit is not null)
        {
            await PostgresAuditStore.AppendAsync(connection, transaction, audit(Read(body)), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return body is not null;
    }

    private static Application Read(string body) =>
        JsonSerializer.Deserialize(body, MizzenJson.Context.Application) ?? throw new JsonException("stored application is null");
}

using System.Text.Json;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Audit;

namespace Mizzen.Persistence.Sqlite;

internal sealed class SqliteApplicationStore(SqliteDatabase database, TimeProvider time) : IApplicationStore
{
    public Task<IReadOnlyList<Application>> ListAsync(CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM applications ORDER BY name";
        var result = new List<Application>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(Read(reader.GetString(0)));
        }

        return Task.FromResult<IReadOnlyList<Application>>(result);
    }

    public Task<Application?> GetAsync(string name, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM applications WHERE name = $name";
        command.Parameters.AddWithValue("$name", name.ToLowerInvariant());
        return Task.FromResult(command.ExecuteScalar() is string body ? Read(body) : null);
    }

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
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        Application? before = null;
        using (var existing = scope.Command("SELECT body FROM applications WHERE name = $name"))
        {
            existing.Parameters.AddWithValue("$name", application.Name);
            if (existing.ExecuteScalar() is string body)
            {
                before = Read(body);
                application.CreateTs = before.CreateTs ?? now;
            }
        }

        using (var command = scope.Command("""
                   INSERT INTO applications (name, body, updated_at) VALUES ($name, $body, $now)
                   ON CONFLICT(name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at
                   """))
        {
            command.Parameters.AddWithValue("$name", application.Name);
            command.Parameters.AddWithValue("$body", JsonSerializer.Serialize(application, MizzenJson.Context.Application));
            command.Parameters.AddWithValue("$now", now);
            command.ExecuteNonQuery();
        }

        if (audit is not null)
        {
            SqliteAuditStore.Insert(scope, [audit(before)]);
        }

        scope.Commit();
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => DeleteCoreAsync(name, null, cancellationToken);

    public Task<bool> DeleteAsync(string name, Func<Application, AuditRecord> audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return DeleteCoreAsync(name, audit, cancellationToken);
    }

    private async Task<bool> DeleteCoreAsync(string name, Func<Application, AuditRecord>? audit, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        string? body;
        using (var existing = scope.Command("SELECT body FROM applications WHERE name = $name"))
        {
            existing.Parameters.AddWithValue("$name", name.ToLowerInvariant());
            body = existing.ExecuteScalar() as string;
        }

        using (var command = scope.Command("""
                   DELETE FROM pipeline_config_revisions WHERE id IN (SELECT id FROM pipeline_configs WHERE application = $name);
                   DELETE FROM pipeline_configs WHERE application = $name;
                   DELETE FROM applications WHERE name = $name;
                   """))
        {
            command.Parameters.AddWithValue("$name", name.ToLowerInvariant());
            command.ExecuteNonQuery();
        }

        if (body is not null && audit is not null)
        {
            SqliteAuditStore.Insert(scope, [audit(Read(body))]);
        }

        scope.Commit();
        return body is not null;
    }

    private static Application Read(string body) =>
        JsonSerializer.Deserialize(body, MizzenJson.Context.Application) ?? throw new JsonException("stored application is null");
}

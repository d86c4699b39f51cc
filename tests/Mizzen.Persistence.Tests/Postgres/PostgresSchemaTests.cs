using Microsoft.Extensions.Time.Testing;
using Mizzen.Testing;
using Mizzen.Testing.Postgres;
using Npgsql;

namespace Mizzen.Persistence.Tests.Postgres;

/// <summary>The PostgreSQL schema is migrated once per database, however many nodes start at the same moment.</summary>
public sealed class PostgresSchemaTests
{
    private readonly FakeTimeProvider clock = TestTime.Clock();

    [Fact]
    public async Task Nodes_starting_together_on_an_empty_database_all_start_and_migrate_it_once()
    {
        var database = await TestPostgres.CreateDatabaseAsync("schema");
        var nodes = Enumerable.Range(1, 6).Select(i => PostgresNode.Start(database, $"node-{i}", clock)).ToList();
        try
        {
            // The first store call migrates; six nodes make it at once.
            await Task.WhenAll(nodes.Select(async node =>
            {
                await using var transaction = await node.Store.BeginAsync(CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
            }));

            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var versions = new NpgsqlCommand("SELECT COUNT(*)::int, COUNT(DISTINCT version)::int, MAX(version) FROM schema_version", connection);
            await using (var reader = await versions.ExecuteReaderAsync())
            {
                (await reader.ReadAsync()).ShouldBeTrue();
                var (rows, distinct, latest) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
                latest.ShouldBeGreaterThanOrEqualTo(1);
                rows.ShouldBe(latest, "each version is recorded once");
                distinct.ShouldBe(latest);
            }

            foreach (var table in new[] { "applications", "pipeline_configs", "pipeline_config_revisions", "executions", "stages", "queue", "pending_executions", "document_revisions" })
            {
                await using var exists = new NpgsqlCommand($"SELECT to_regclass('public.{table}') IS NOT NULL", connection);
                ((bool)(await exists.ExecuteScalarAsync())!).ShouldBeTrue(table);
            }

            (await nodes[0].Executions.CountAsync(CancellationToken.None)).ShouldBe(0);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_database_at_a_newer_schema_version_is_refused_with_an_error_naming_both_versions()
    {
        var database = await TestPostgres.CreateDatabaseAsync("schema");
        int latest;
        await using (var first = PostgresNode.Start(database, "first", clock))
        {
            (await first.Executions.CountAsync(CancellationToken.None)).ShouldBe(0);
        }

        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var bump = new NpgsqlCommand("INSERT INTO schema_version SELECT MAX(version) + 1 FROM schema_version RETURNING version", connection);
            latest = (int)(await bump.ExecuteScalarAsync())! - 1;
        }

        await using var older = PostgresNode.Start(database, "older", clock);
        var refused = await Should.ThrowAsync<InvalidOperationException>(() => older.Store.BeginAsync(CancellationToken.None));
        refused.Message.ShouldContain($"schema version {latest + 1}, newer than this Mizzen ({latest})");
    }
}

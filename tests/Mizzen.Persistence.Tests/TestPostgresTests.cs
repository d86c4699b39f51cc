using Mizzen.Testing.Postgres;
using Npgsql;
using Shouldly;

namespace Mizzen.Persistence.Tests;

/// <summary>The test PostgreSQL itself: a real server of version 15 or later, and databases that do not share rows.</summary>
public sealed class TestPostgresTests
{
    [Fact]
    public async Task Each_database_is_fresh_and_the_server_is_a_real_postgresql_15_or_later()
    {
        var first = await TestPostgres.CreateDatabaseAsync("iso");
        var second = await TestPostgres.CreateDatabaseAsync("iso");
        first.ShouldNotBe(second);

        await using (var connection = new NpgsqlConnection(first))
        {
            await connection.OpenAsync();
            connection.PostgreSqlVersion.Major.ShouldBeGreaterThanOrEqualTo(15);
            await using var create = new NpgsqlCommand("CREATE TABLE marker (v int); INSERT INTO marker VALUES (1)", connection);
            await create.ExecuteNonQueryAsync();
        }

        await using (var connection = new NpgsqlConnection(second))
        {
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT to_regclass('public.marker') IS NOT NULL", connection);
            ((bool)(await exists.ExecuteScalarAsync())!).ShouldBeFalse();
        }
    }
}

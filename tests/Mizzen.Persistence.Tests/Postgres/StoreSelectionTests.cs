using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Errors;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Executions;
using Mizzen.Testing.Postgres;

namespace Mizzen.Persistence.Tests.Postgres;

/// <summary><c>Mizzen:Storage:Provider</c> picks the store; a wrong or incomplete setting is refused naming the setting.</summary>
public sealed class StoreSelectionTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void An_unknown_provider_is_refused_naming_the_setting_and_the_allowed_values()
    {
        var refused = Should.Throw<ValidationException>(() =>
            new ServiceCollection().AddMizzenStore(Settings(("Mizzen:Storage:Provider", "mysql"))));

        refused.Problems.Single().Location.ShouldBe("Mizzen:Storage:Provider");
        refused.Message.ShouldContain("'mysql'");
        refused.Message.ShouldContain("sqlite or postgres");
    }

    [Fact]
    public void Postgres_without_a_connection_string_is_refused_naming_the_setting()
    {
        var refused = Should.Throw<ValidationException>(() =>
            new ServiceCollection().AddMizzenStore(Settings(("Mizzen:Storage:Provider", "postgres"))));

        refused.Problems.Single().Location.ShouldBe("Mizzen:Storage:ConnectionString");
    }

    [Fact]
    public async Task Postgres_with_a_connection_string_stores_runs_in_that_database()
    {
        var database = await TestPostgres.CreateDatabaseAsync("select");
        var services = new ServiceCollection().AddLogging().AddSingleton<INodeCoordination, InProcessCoordination>();
        services.AddMizzenStore(Settings(("Mizzen:Storage:Provider", "Postgres"), ("Mizzen:Storage:ConnectionString", database)));
        await using var provider = services.BuildServiceProvider();

        await using (var transaction = await provider.GetRequiredService<IStore>().BeginAsync(CancellationToken.None))
        {
            transaction.AddExecution(PostgresNode.Execution("e1", "config", Core.Model.ExecutionStatus.Running, 1));
            await transaction.CommitAsync(CancellationToken.None);
        }

        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT COUNT(*)::int FROM executions WHERE id = 'e1'", connection);
        ((int)(await count.ExecuteScalarAsync())!).ShouldBe(1);
        (await provider.GetRequiredService<IExecutionStore>().CountAsync(CancellationToken.None)).ShouldBe(1);
    }
}

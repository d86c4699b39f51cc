using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Persistence;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Documents;
using Mizzen.Persistence.Migration;
using Mizzen.Persistence.Pipelines;
using Mizzen.Testing.Postgres;
using Npgsql;

namespace Mizzen.Cli.Tests.Admin;

/// <summary><c>mizzen admin migrate-store</c> end to end: a real SQLite data folder into a real PostgreSQL, through the command line.</summary>
public sealed class MigrateStoreTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mizzen-migrate-cli-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Migrate_store_copies_a_data_folder_into_an_empty_database_printing_each_tables_count()
    {
        await FillAsync();
        var database = await TestPostgres.CreateDatabaseAsync("cli");
        var target = StoreLocation.Parse("--to", $"postgres:{database}");

        var result = await CliRunner.RunOfflineAsync("admin", "migrate-store", "--from", $"sqlite:{folder}", "--to", $"postgres:{database}");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Error.ShouldBeEmpty();
        result.OutLines.ShouldBe(
        [
            "applications                          2",
            "pipeline_configs                      1",
            "pipeline_config_revisions             3",
            "executions                            0",
            "stages                                0",
            "pending_executions                    0",
            "queue                                 0",
            "document_revisions                    3",
            "audit_log                             0",
            $"migrated 9 rows from sqlite:{folder} to {target}; counts verified",
        ]);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var names = new NpgsqlCommand("SELECT string_agg(name, ',' ORDER BY name) FROM applications", connection);
        (await names.ExecuteScalarAsync()).ShouldBe("billing,shop");
    }

    [Fact]
    public async Task The_mizzen_db_file_is_accepted_as_the_source_and_json_output_reports_every_table()
    {
        await FillAsync();
        var database = await TestPostgres.CreateDatabaseAsync("cli");

        var result = await CliRunner.RunOfflineAsync(
            "admin", "migrate-store", "--from", $"sqlite:{Path.Combine(folder, "mizzen.db")}", "--to", $"postgres:{database}", "-o", "json");

        result.ExitCode.ShouldBe(0, result.ToString());
        var report = System.Text.Json.Nodes.JsonNode.Parse(result.Out)!;
        report["rows"]!.GetValue<long>().ShouldBe(9);
        report["tables"]!.AsArray().Select(t => $"{t!["table"]}={t["source"]}/{t["target"]}").ShouldBe(
        [
            "applications=2/2", "pipeline_configs=1/1", "pipeline_config_revisions=3/3", "executions=0/0", "stages=0/0",
            "pending_executions=0/0", "queue=0/0", "document_revisions=3/3", "audit_log=0/0",
        ]);
    }

    [Fact]
    public async Task A_second_migration_into_the_same_database_is_refused_with_exit_1()
    {
        await FillAsync();
        var database = await TestPostgres.CreateDatabaseAsync("cli");
        (await CliRunner.RunOfflineAsync("admin", "migrate-store", "--from", $"sqlite:{folder}", "--to", $"postgres:{database}")).ExitCode.ShouldBe(0);

        var again = await CliRunner.RunOfflineAsync("admin", "migrate-store", "--from", $"sqlite:{folder}", "--to", $"postgres:{database}");

        again.ExitCode.ShouldBe(1, again.ToString());
        again.Out.ShouldBeEmpty();
        again.Error.ShouldBe(
            $"mizzen: --to: {StoreLocation.Parse("--to", $"postgres:{database}")} is not empty: applications (2 rows), pipeline_configs (1 rows), "
            + "pipeline_config_revisions (3 rows), document_revisions (3 rows); migrate into a new, empty database (nothing was written)\n");
    }

    [Theory]
    [InlineData("--from", "mysql:db")]
    [InlineData("--from", "/var/lib/mizzen")]
    [InlineData("--to", "postgresql:")]
    public async Task A_location_in_neither_form_is_exit_2_naming_the_option_and_the_accepted_forms(string option, string value)
    {
        string[] args = option == "--from"
            ? ["admin", "migrate-store", "--from", value, "--to", "postgres:Host=127.0.0.1"]
            : ["admin", "migrate-store", "--from", $"sqlite:{folder}", "--to", value];

        var result = await CliRunner.RunOfflineAsync(args);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Error.ShouldBe($"mizzen: {option}: '{value}' is not a store; expected {StoreLocation.AcceptedForms}\n");
    }

    [Fact]
    public async Task A_folder_without_a_store_is_exit_2_and_the_folder_is_not_created()
    {
        var missing = Path.Combine(folder, "nothing-here");

        var result = await CliRunner.RunOfflineAsync("admin", "migrate-store", "--from", $"sqlite:{missing}", "--to", "postgres:Host=127.0.0.1");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Error.ShouldBe($"mizzen: --from: there is no Mizzen store at {missing} (no mizzen.db in {missing})\n");
        Directory.Exists(missing).ShouldBeFalse();
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_is_exit_1_with_the_reason_and_no_password()
    {
        await FillAsync();
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var result = await CliRunner.RunOfflineAsync(
            "admin", "migrate-store", "--from", $"sqlite:{folder}", "--to", $"postgres:Host=127.0.0.1;Port={port};Database=mizzen;Username=ci;Password=hunter2;Timeout=5");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.ErrorLines.ShouldHaveSingleItem().ShouldStartWith($"mizzen: --to: postgres:127.0.0.1:{port}/mizzen: ");
        result.Error.ShouldEndWith("(nothing was migrated)\n");
        result.Error.ShouldNotContain("hunter2");
    }

    [Fact]
    public async Task A_mizzen_db_that_is_not_a_database_is_exit_1_naming_the_source()
    {
        await File.WriteAllTextAsync(Path.Combine(folder, "mizzen.db"), "this is not SQLite");

        var result = await CliRunner.RunOfflineAsync("admin", "migrate-store", "--from", $"sqlite:{folder}", "--to", "postgres:Host=127.0.0.1");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.ErrorLines.ShouldHaveSingleItem().ShouldStartWith($"mizzen: --from: sqlite:{folder}: ");
        result.Error.ShouldContain("not a database");
    }

    [Fact]
    public async Task Both_options_are_required()
    {
        var result = await CliRunner.RunOfflineAsync("admin", "migrate-store", "--from", $"sqlite:{folder}");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("--to");
    }

    /// <summary>A small store written through the SQLite backend: 2 applications, a pipeline with 3 revisions, a canary config with 2 revisions and a report.</summary>
    private async Task FillAsync()
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSqliteStore()
            .Configure<StorageOptions>(o => o.DataFolder = folder)
            .BuildServiceProvider();
        var applications = services.GetRequiredService<IApplicationStore>();
        await applications.SaveAsync(new Application { Name = "shop" }, CancellationToken.None);
        await applications.SaveAsync(new Application { Name = "billing" }, CancellationToken.None);
        var configs = services.GetRequiredService<IPipelineConfigStore>();
        for (var revision = 1; revision <= 3; revision++)
        {
            await configs.SaveAsync(PipelineConfig.Parse($$"""{"application":"shop","name":"deploy","description":"r{{revision}}","stages":[]}"""), "alice", CancellationToken.None);
        }

        var documents = services.GetRequiredService<IDocumentStore>();
        await documents.SaveRevisionAsync("canary-config:shop", "latency", """{"name":"latency"}""", "alice", CancellationToken.None);
        await documents.SaveRevisionAsync("canary-config:shop", "latency", """{"name":"latency","v":2}""", "alice", CancellationToken.None);
        await documents.PutAsync("canary-report:shop", "run-1", """{"score":100}""", "mizzen", CancellationToken.None);
    }
}

using Mizzen.Server.Tests.Durability;
using Mizzen.Testing.Postgres;
using Npgsql;

namespace Mizzen.Server.Tests.Hosting;

/// <summary><c>admin migrate-store</c> never copies a store that a running server is changing: a real server process holds the data folder.</summary>
public sealed class MigrateStoreRefusalTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("mizzen-migrate-held-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
            // A server that is still exiting may hold a file; the temp folder is cleaned by the OS.
        }
    }

    [Fact]
    public async Task Migrating_a_data_folder_that_a_running_server_holds_is_refused_naming_its_pid_and_the_target_is_untouched()
    {
        using var server = await ServerProcess.StartAsync(data, ServerProcess.FreePort());
        var database = await TestPostgres.CreateDatabaseAsync("held");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await Mizzen.Cli.Cli.RunAsync(["admin", "migrate-store", "--from", $"sqlite:{data}", "--to", $"postgres:{database}"], stdout, stderr);

        exit.ShouldBe(1, stderr.ToString());
        stderr.ToString().ShouldBe(
            $"mizzen: --from: the data folder {data} is in use by a running Mizzen server (pid {server.Pid}): stop it before migrating its store\n");
        stdout.ToString().ShouldBeEmpty();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var tables = new NpgsqlCommand("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
        (await tables.ExecuteScalarAsync()).ShouldBe(0L, "nothing is created in the target");
        using var client = new HttpClient();
        (await client.GetAsync(new Uri(server.Address, "/health/ready"))).IsSuccessStatusCode.ShouldBeTrue("the server runs on");
    }
}

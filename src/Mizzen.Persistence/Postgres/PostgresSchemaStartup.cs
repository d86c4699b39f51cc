using Microsoft.Extensions.Hosting;

namespace Mizzen.Persistence.Postgres;

/// <summary>Migrates the schema when the host starts, so a database Mizzen cannot use stops the server before it serves anything.</summary>
internal sealed class PostgresSchemaStartup(PostgresDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.EnsureMigratedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
